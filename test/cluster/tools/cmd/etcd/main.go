// etcd for the test control plane: the etcd server at the version that the
// pinned Kubernetes release itself depends on, so that both agree.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
