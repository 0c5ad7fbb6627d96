/* image_options: the default-image options shared by `serve` and `render`. */
#ifndef MONERO_OPERATOR_IMAGE_OPTIONS_H
#define MONERO_OPERATOR_IMAGE_OPTIONS_H

#include "hooks/hook.h"
#include "options.h"

#define IMAGE_OPTION_COUNT 5

/* Fills `defs` with the five image options writing into `defaults`. */
void image_options(struct hook_defaults *defaults, struct option_def defs[IMAGE_OPTION_COUNT]);

#endif
