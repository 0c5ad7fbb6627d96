/* image_options: --monerod-image and friends (see image_options.h). */
#include "image_options.h"

void image_options(struct hook_defaults *d, struct option_def defs[IMAGE_OPTION_COUNT])
{
    const struct option_def table[IMAGE_OPTION_COUNT] = {
        {"monerod-image", 0, "MONERO_OPERATOR_MONEROD_IMAGE", OPT_STRING, &d->monerod_image, 0,
         "IMAGE", "monerod image for resources that do not name one"},
        {"xmrig-image", 0, "MONERO_OPERATOR_XMRIG_IMAGE", OPT_STRING, &d->xmrig_image, 0, "IMAGE",
         "xmrig image for miners that do not name one"},
        {"tor-image", 0, "MONERO_OPERATOR_TOR_IMAGE", OPT_STRING, &d->tor_image, 0, "IMAGE",
         "tor sidecar image"},
        {"i2pd-image", 0, "MONERO_OPERATOR_I2PD_IMAGE", OPT_STRING, &d->i2pd_image, 0, "IMAGE",
         "i2pd sidecar image"},
        {"operator-image", 0, "MONERO_OPERATOR_IMAGE", OPT_STRING, &d->operator_image, 0, "IMAGE",
         "this project's image, used for init steps and the metrics exporter"},
    };
    for (int i = 0; i < IMAGE_OPTION_COUNT; i++)
        defs[i] = table[i];
}
