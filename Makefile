# OpenLine — one non-recursive GNU Makefile for the kiosk, the collector and their tests.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   make            build build/openline (and build/openline-stats)
#   make run        start the kiosk windowed with the example configuration (KIOSK=1: fullscreen)
#   make check      install missing Debian packages, build, run every test
#   make bench      benchmarks (numbers, not pass/fail)
#   make lint       clang-format check and banned-function check
#   make SANITIZER=address,undefined check    the same under sanitizers
#   V=1             show the commands

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:

BUILD     := build
SANITIZER ?=
ifneq ($(SANITIZER),)
OBJ       := $(BUILD)/obj-san
SANFLAGS  := -fsanitize=$(SANITIZER) -fno-omit-frame-pointer -fno-sanitize-recover=all
else
OBJ       := $(BUILD)/obj
SANFLAGS  :=
endif

VARIANT   := $(BUILD)/.variant

ifeq ($(V),1)
Q :=
else
Q := @
endif

CC        ?= cc
PKG_CONFIG ?= pkg-config
OPT       ?= -O2
WERROR    ?= -Werror

# Debian packages the project needs to build, run and test. `make deps` installs the missing ones.
DEB_PKGS := build-essential pkg-config clang-format gettext libgettextpo-dev \
	libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libicu-dev libinih-dev libcmark-dev \
	libcmocka-dev libqrencode-dev fonts-noto-core fonts-noto-cjk time procps xvfb xauth chromium

# Per-module additions (pkg-config names, Debian packages, sources, tests) come from the sections
# below; keep every program's libraries listed with its sources.
KIOSK_PKGS := sdl2 SDL2_ttf SDL2_image icu-uc icu-i18n inih libcmark libqrencode

# Recursively expanded on purpose: pkg-config runs when a recipe needs the flags, after `deps`.
pkg_cflags = $(shell $(PKG_CONFIG) --cflags $(1))
pkg_libs   = $(shell $(PKG_CONFIG) --libs $(1))

CPPFLAGS_BASE := -Iinclude -D_GNU_SOURCE -DOPENLINE_VERSION='"$(VERSION)"'
CFLAGS_BASE   := -std=c11 -g $(OPT) -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter -Wformat=2 -Wvla $(WERROR) \
	-fstack-protector-strong -D_FORTIFY_SOURCE=2 $(SANFLAGS)
DEPFLAGS      := -MMD -MP
LDFLAGS_BASE  := $(SANFLAGS) -Wl,-z,relro,-z,now

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

# ---------------------------------------------------------------------------------------------
# Kiosk sources, by module (see ARCHITECTURE.md)
CORE_SRCS    := $(wildcard app/core/*.c)
TEXT_SRCS    := $(wildcard app/text/*.c)
I18N_SRCS    := $(wildcard app/i18n/*.c)
CONTENT_SRCS := $(wildcard app/content/*.c)
UI_SRCS      := $(wildcard app/ui/*.c)
KIOSK_MAIN   := $(wildcard app/kiosk/*.c)
KIOSK_LIB_SRCS := $(CORE_SRCS) $(TEXT_SRCS) $(I18N_SRCS) $(CONTENT_SRCS) $(UI_SRCS)
KIOSK_EXTRA_LIBS := -lgettextpo -lm

-include mk/*.mk

KIOSK_LIB_OBJS := $(KIOSK_LIB_SRCS:%.c=$(OBJ)/%.o)
KIOSK_OBJS     := $(KIOSK_LIB_OBJS) $(KIOSK_MAIN:%.c=$(OBJ)/%.o)

$(OBJ)/app/%.o: CFLAGS_EXTRA = $(call pkg_cflags,$(KIOSK_PKGS))
$(OBJ)/tests/%.o: CFLAGS_EXTRA = $(call pkg_cflags,$(KIOSK_PKGS) cmocka)

$(OBJ)/%.o: %.c $(OBJ)/.flags
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS_BASE) $(CFLAGS_BASE) $(CFLAGS_EXTRA) $(DEPFLAGS) -c -o $@ $<

# Relink every program when the object tree changes (SANITIZER on or off): the binaries keep
# their names, so without this a sanitizer build would leave its binaries behind.
$(VARIANT): FORCE
	@mkdir -p $(BUILD)
	@echo '$(OBJ) $(LDFLAGS_BASE)' | cmp -s - $@ || echo '$(OBJ) $(LDFLAGS_BASE)' > $@

# Rebuild a tree's objects when its flags change (optimisation, defines).
$(OBJ)/.flags: FORCE
	@mkdir -p $(OBJ)
	@echo '$(CFLAGS_BASE) $(CPPFLAGS_BASE)' | cmp -s - $@ || echo '$(CFLAGS_BASE) $(CPPFLAGS_BASE)' > $@

$(BUILD)/openline: $(KIOSK_OBJS) $(VARIANT)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_BASE) -o $@ $(filter-out $(VARIANT),$^) $(call pkg_libs,$(KIOSK_PKGS)) $(KIOSK_EXTRA_LIBS)

ALL_BINS += $(BUILD)/openline

# ---------------------------------------------------------------------------------------------
# Catalogs: every PO file is checked with msgfmt --check; the build fails naming a bad file.
PO_FILES  := $(wildcard locales/*.po)
PO_STAMPS := $(PO_FILES:locales/%.po=$(BUILD)/po/%.ok)

$(BUILD)/po/%.ok: locales/%.po
	@mkdir -p $(@D)
	@$(if $(Q),echo "  MSGFMT  $<")
	$(Q)msgfmt --check --check-format -o /dev/null $< || { echo "locales/$*.po: invalid catalog (msgfmt --check above)" >&2; exit 1; }
	$(Q)touch $@

all: $(ALL_BINS) $(PO_STAMPS)

# Translator workflow (README "Translations"): the template holds every UI string (xgettext over
# the C sources, keyword N_) and every sentence of the content pages (openline pot-content).
POT := locales/openline.pot

pot: $(BUILD)/openline
	$(Q)xgettext --from-code=UTF-8 --language=C --keyword=N_ --add-comments=TRANSLATORS: \
		--package-name=OpenLine --package-version=$(VERSION) --msgid-bugs-address=translations \
		--no-location -o $(BUILD)/ui.pot $(sort $(wildcard app/*/*.c))
	$(Q)$(BUILD)/openline pot-content > $(BUILD)/content.raw.pot
	$(Q)msguniq --use-first -o $(BUILD)/content.pot $(BUILD)/content.raw.pot
	$(Q)msgcat --use-first -o $(POT) $(BUILD)/ui.pot $(BUILD)/content.pot
	@echo "  POT     $(POT): $$(grep -c '^msgid "' $(POT)) entries (with the header)"

po: pot
	$(Q)for f in $(PO_FILES); do \
		msgmerge --quiet --update --backup=none --previous $$f $(POT) || exit 1; \
	done

i18n-report: $(BUILD)/openline
	$(Q)$(BUILD)/openline i18n-report

# ---------------------------------------------------------------------------------------------
# Unit tests (cmocka): tests/unit/test_<module>.c linked against the kiosk's module objects.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

$(BUILD)/tests/test_%: $(OBJ)/tests/unit/test_%.o $(KIOSK_LIB_OBJS) $(VARIANT)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_BASE) -o $@ $(filter-out $(VARIANT),$^) $(call pkg_libs,$(KIOSK_PKGS) cmocka) $(KIOSK_EXTRA_LIBS)

# Golden-image comparison for the UI suite.
TEST_BINS += $(BUILD)/tests/pngdiff
$(BUILD)/tests/pngdiff: $(OBJ)/tests/ui/pngdiff.o $(VARIANT)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_BASE) -o $@ $(filter-out $(VARIANT),$^) $(call pkg_libs,sdl2 SDL2_image)

# ---------------------------------------------------------------------------------------------
# Installation (used by packaging/debian/rules) and the Debian packages.
PREFIX     ?= /usr/local
SYSCONFDIR ?= /etc
DESTDIR    ?=

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/openline \
		$(DESTDIR)$(SYSCONFDIR)/openline $(DESTDIR)/lib/systemd/system
	install -m 755 $(ALL_BINS) $(DESTDIR)$(PREFIX)/bin/
	cp -r assets locales $(DESTDIR)$(PREFIX)/share/openline/
	rm -f $(DESTDIR)$(PREFIX)/share/openline/locales/openline.pot
	# Installed: kiosk mode, and no hotline until the deployer names theirs (the number shows).
	sed -e 's/^fullscreen = no/fullscreen = yes/' -e 's|^uri = sip:hotline@127.0.0.1:5070|uri =|' \
		assets/openline.conf.example > $(DESTDIR)$(SYSCONFDIR)/openline/openline.conf
	chmod 640 $(DESTDIR)$(SYSCONFDIR)/openline/openline.conf
	install -m 644 packaging/systemd/*.service $(DESTDIR)/lib/systemd/system/

deb:
	$(Q)tools/deps.sh debhelper dpkg-dev fakeroot
	$(Q)rm -rf $(BUILD)/deb && mkdir -p $(BUILD)/deb/src
	$(Q)git archive HEAD | tar -x -C $(BUILD)/deb/src
	$(Q)cp -r packaging/debian $(BUILD)/deb/src/debian
	$(Q)cd $(BUILD)/deb/src && dpkg-buildpackage -us -uc -b
	@ls -1 $(BUILD)/deb/*.deb

# ---------------------------------------------------------------------------------------------
.PHONY: install deb
.PHONY: all deps run check check-all check-unit check-flow check-ui check-i18n check-long bench \
	lint format clean pot po i18n-report FORCE

deps:
	$(Q)tools/deps.sh $(DEB_PKGS)

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/run.sh

check: deps
	$(Q)$(MAKE) --no-print-directory check-all

# Suites: unit (cmocka binaries), then tests/<suite>/run.sh for every suite in SUITES.
SUITES += flow ui i18n

check-all: all $(UNIT_BINS) $(TEST_BINS)
	$(Q)tools/lint.sh
	$(Q)tools/run-tests.sh unit $(UNIT_BINS) -- $(SUITES)

check-unit: all $(UNIT_BINS)
	$(Q)tools/run-tests.sh unit $(UNIT_BINS)

check-flow check-ui check-i18n: check-%: all
	$(Q)tools/run-tests.sh $*

bench: deps
	$(Q)$(MAKE) --no-print-directory all $(TEST_BINS)
	$(Q)tests/bench/run.sh

lint:
	$(Q)tools/lint.sh

format:
	$(Q)clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)

FORCE:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
