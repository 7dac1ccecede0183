# Hotline calls and audio (app/call, app/audio): libraries, packages, test suite, tools, benchmark.
# SPDX-License-Identifier: GPL-3.0-or-later

KIOSK_LIB_SRCS += $(wildcard app/call/*.c app/audio/*.c)
KIOSK_PKGS     += libre librem portaudio-2.0 alsa opus speexdsp libssl libcrypto
# libre's headers need these and pkg-config does not give them (DESIGN.md section 5).
CPPFLAGS_BASE  += -DHAVE_INTTYPES_H -DHAVE_STDBOOL_H -DHAVE_INET6
KIOSK_EXTRA_LIBS += -lpthread

DEB_PKGS += libre-dev librem-dev portaudio19-dev libasound2-dev libopus-dev libspeexdsp-dev libssl-dev \
	baresip-core sip-tester jackd2 sox espeak-ng openssl tcpdump

SUITES += call

# Test helpers: tone analysis (Goertzel) and a room echo measurement.
TEST_BINS += $(BUILD)/tests/call-tone

$(BUILD)/tests/call-tone: $(OBJ)/tests/call/tone.o $(VARIANT)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_BASE) -o $@ $(filter-out $(VARIANT),$^) -lm

# The demo hotline's greeting (make run): spoken by espeak-ng at build time.
DEMO_GREETING := $(BUILD)/demo/greeting.wav
all: $(DEMO_GREETING)

$(DEMO_GREETING): mk/call.mk
	@mkdir -p $(@D)
	@$(if $(Q),echo "  ESPEAK  $@")
	$(Q)espeak-ng -v en -s 150 -w $@.tmp.wav "You are connected to the OpenLine demo hotline. \
This is a test call on this computer. Nobody is listening, and nothing is recorded. \
Speak, and you will hear the line stay open. Hang up when you are done." && \
	sox -q $@.tmp.wav -r 48000 -c 2 -b 16 $@ && rm -f $@.tmp.wav

.PHONY: bench-call check-call
check-call: all $(TEST_BINS)
	$(Q)tools/run-tests.sh call

bench-call: all $(TEST_BINS)
	$(Q)tests/bench/call.sh
