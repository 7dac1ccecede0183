/* pngdiff: compare two PNG images with a tolerance, for golden-image tests.
 *   pngdiff A.png B.png [MAX_CHANNEL_DELTA] [MAX_DIFFERENT_PERMILLE]
 * A pixel differs when any channel differs by more than MAX_CHANNEL_DELTA (default 24); the
 * images match when at most MAX_DIFFERENT_PERMILLE per mille of pixels differ (default 2).
 * Exit 0 match, 1 differ (with counts), 2 unreadable or different sizes.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>

#include <SDL.h>
#include <SDL_image.h>

static SDL_Surface *load(const char *path)
{
    SDL_Surface *s = IMG_Load(path);
    if (!s) {
        fprintf(stderr, "pngdiff: %s: %s\n", path, IMG_GetError());
        return NULL;
    }
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(s);
    return c;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: pngdiff A.png B.png [MAX_CHANNEL_DELTA] [MAX_PERMILLE]\n");
        return 2;
    }
    int delta = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 24;
    int permille = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 2;
    SDL_Surface *a = load(argv[1]), *b = load(argv[2]);
    if (!a || !b)
        return 2;
    if (a->w != b->w || a->h != b->h) {
        fprintf(stderr, "pngdiff: sizes differ: %dx%d and %dx%d\n", a->w, a->h, b->w, b->h);
        return 2;
    }
    long diff = 0, total = (long)a->w * a->h;
    for (int y = 0; y < a->h; y++) {
        const Uint32 *pa = (const Uint32 *)((const Uint8 *)a->pixels + y * a->pitch);
        const Uint32 *pb = (const Uint32 *)((const Uint8 *)b->pixels + y * b->pitch);
        for (int x = 0; x < a->w; x++) {
            for (int sh = 0; sh < 32; sh += 8) {
                int ca = (int)(pa[x] >> sh & 0xff), cb = (int)(pb[x] >> sh & 0xff);
                if (abs(ca - cb) > delta) {
                    diff++;
                    break;
                }
            }
        }
    }
    double pm = 1000.0 * (double)diff / (double)total;
    printf("%s: %ld of %ld pixels differ (%.2f per mille, limit %d)\n", argv[2], diff, total, pm,
           permille);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    return pm <= permille ? 0 : 1;
}
