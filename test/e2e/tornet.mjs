// A private Tor network on 127.0.0.1 for the end-to-end tests, from Debian's tor alone: three
// directory authorities and three relays in TestingTorNetwork mode, with the short voting
// intervals and forced flags Tor's own test networks use, so a consensus exists within a
// minute and onion services work (an onion connection needs five relays besides the ends:
// three hops, an introduction point and a rendezvous point). Nothing leaves loopback.
//
//   const net = await torNetwork(h);   // h: the harness of lib.mjs
//   h.start("tor-a", "tor", ["-f", torrc, ...net.clientArgs(dir)]);
//
// The harness stops every daemon on exit; its work directory holds their logs and state.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const AUTHORITIES = 3;
const RELAYS = 3;

function run(h, cmd, args, input) {
  const r = spawnSync(cmd, args, { input, encoding: "utf8" });
  if (r.status !== 0) h.fail(`${cmd} ${args.join(" ")}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

// Options every node of the network shares, clients included (as tor command-line pairs).
function commonOptions(dir, authorityLines) {
  return [
    "TestingTorNetwork", "1",
    "DataDirectory", dir,
    "PathsNeededToBuildCircuits", "0.67",
    "ShutdownWaitLength", "0",
    "SafeLogging", "0",
    "Log", `notice file ${path.join(dir, "notice.log")}`,
    ...authorityLines.flatMap((l) => ["DirAuthority", l]),
  ];
}

// The relay's RSA identity fingerprint, making its keys as a side effect (as chutney does).
function fingerprint(h, dir) {
  const out = run(h, "tor", ["--ignore-missing-torrc", "-f", "/dev/null", "--DataDirectory", dir, "--ORPort", "1",
    "--DirAuthority", "x 127.0.0.1:1 ffffffffffffffffffffffffffffffffffffffff", "--list-fingerprint", "--quiet"]);
  const fp = out.trim().split("\n").pop().split(" ").slice(1).join("");
  if (!/^[0-9A-F]{40}$/.test(fp)) h.fail(`tor --list-fingerprint said: ${out}`);
  return fp;
}

// Starts the network; resolves once a client made with clientArgs() could bootstrap.
export async function torNetwork(h) {
  const base = 21000 + Math.floor(Math.random() * 300) * 20;
  const nodes = [];
  for (let i = 0; i < AUTHORITIES + RELAYS; i++) {
    const authority = i < AUTHORITIES;
    const dir = path.join(h.work, `tornet-${authority ? "auth" : "relay"}${i}`);
    fs.mkdirSync(path.join(dir, "keys"), { recursive: true, mode: 0o700 });
    const node = { nick: `${authority ? "auth" : "relay"}${i}`, dir, authority, orPort: base + i, dirPort: base + 10 + i };
    if (authority) {
      const keys = (f) => path.join(dir, "keys", f);
      run(h, "tor-gencert", ["--create-identity-key", "--passphrase-fd", "0", "-i", keys("authority_identity_key"),
        "-s", keys("authority_signing_key"), "-c", keys("authority_certificate"), "-m", "12", "-a", `127.0.0.1:${node.dirPort}`], "\n");
      const cert = fs.readFileSync(keys("authority_certificate"), "utf8");
      node.v3ident = /^fingerprint ([0-9A-F]{40})$/m.exec(cert)?.[1] ?? h.fail("no fingerprint in the authority certificate");
    }
    node.fingerprint = fingerprint(h, dir);
    nodes.push(node);
  }
  const authorityLines = nodes.filter((n) => n.authority).map((n) =>
    `${n.nick} orport=${n.orPort} no-v2 v3ident=${n.v3ident} 127.0.0.1:${n.dirPort} ${n.fingerprint}`);
  for (const n of nodes) {
    const args = ["--ignore-missing-torrc", "-f", "/dev/null", ...commonOptions(n.dir, authorityLines),
      "Nickname", n.nick, "SocksPort", "0", "ORPort", `127.0.0.1:${n.orPort}`, "DirPort", `127.0.0.1:${n.dirPort}`,
      "Address", "127.0.0.1", "AssumeReachable", "1", "ExitRelay", "0", "ContactInfo", `${n.nick}@test.test`,
      "TestingDirAuthVoteGuard", "*", "TestingDirAuthVoteHSDir", "*", "TestingDirAuthVoteExit", "*",
      "V3AuthNIntervalsValid", "2"];
    if (n.authority)
      args.push("AuthoritativeDirectory", "1", "V3AuthoritativeDirectory", "1",
        "TestingV3AuthInitialVotingInterval", "20", "V3AuthVotingInterval", "20",
        "TestingV3AuthInitialVoteDelay", "4", "V3AuthVoteDelay", "4",
        "TestingV3AuthInitialDistDelay", "4", "V3AuthDistDelay", "4");
    h.start(`tornet-${n.nick}`, "tor", args);
  }
  const net = {
    relays: nodes.length,
    // The options that turn a pod's tor into a client (and onion service) of this network, to
    // append to its torrc on the command line; its own DataDirectory stays as configured.
    clientArgs: (logFile) => ["TestingTorNetwork", "1", "PathsNeededToBuildCircuits", "0.67", "SafeLogging", "0",
      "Log", `notice file ${logFile}`, ...authorityLines.flatMap((l) => ["DirAuthority", l])],
  };
  // Relays are usable once every authority's log says a consensus was published.
  await h.until("the private Tor network's first consensus", 180000, () => {
    const done = nodes.filter((n) => n.authority).every((n) => {
      const f = path.join(n.dir, "notice.log");
      return fs.existsSync(f) && /Consensus published|Published ns consensus|Published microdesc consensus/i.test(fs.readFileSync(f, "utf8"));
    });
    return done ? { ok: true } : "no consensus yet";
  }, 1000);
  return net;
}

// Whether a tor's notice log says it bootstrapped fully.
export function bootstrapped(logFile) {
  return fs.existsSync(logFile) && fs.readFileSync(logFile, "utf8").includes("Bootstrapped 100%");
}
