# openline-stats: the collector of anonymized usage counts and the staff dashboard (issue 5).
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   make build/openline-stats     the collector
#   make check-stats              its unit tests and tests/stats/run.sh (real server, PostgreSQL,
#                                 headless Chromium)
#   make bench-stats              tests/bench/stats.sh: ingest rate (wrk) against bare INSERTs,
#                                 dashboard render time

STATS_PKGS := libmicrohttpd jansson sqlite3 libpq libsodium libxcrypt

# Libraries, and the tools the tests and the benchmark drive.
DEB_PKGS += libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev \
	libcrypt-dev libcmocka-dev postgresql chromium curl wrk nodejs openssl sqlite3 \
	iproute2 util-linux

STATS_SRCS     := $(wildcard app/stats/*.c)
STATS_LIB_SRCS := $(filter-out app/stats/main.c,$(STATS_SRCS))
STATS_LIB_OBJS := $(STATS_LIB_SRCS:%.c=$(OBJ)/%.o)
STATS_OBJS     := $(STATS_LIB_OBJS) $(OBJ)/app/stats/main.o

$(OBJ)/app/stats/%.o: CFLAGS_EXTRA = $(call pkg_cflags,$(STATS_PKGS))
$(OBJ)/tests/stats/%.o: CFLAGS_EXTRA = -Iapp/stats $(call pkg_cflags,$(STATS_PKGS) cmocka)

$(BUILD)/openline-stats: $(STATS_OBJS) $(VARIANT)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_BASE) -o $@ $(filter-out $(VARIANT),$^) $(call pkg_libs,$(STATS_PKGS)) -lpthread -lm

ALL_BINS += $(BUILD)/openline-stats

# Unit tests (cmocka), linked against the collector's objects only, not the kiosk's.
STATS_UNIT_SRCS := $(wildcard tests/stats/unit/test_*.c)
STATS_UNIT_BINS := $(STATS_UNIT_SRCS:tests/stats/unit/test_%.c=$(BUILD)/tests/stats_test_%)

$(BUILD)/tests/stats_test_%: $(OBJ)/tests/stats/unit/test_%.o $(STATS_LIB_OBJS) $(VARIANT)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_BASE) -o $@ $(filter-out $(VARIANT),$^) $(call pkg_libs,$(STATS_PKGS) cmocka) -lpthread -lm

# The benchmark's C loop of bare INSERTs, and its loader of 1,000 kiosks x 52 weeks.
$(BUILD)/tests/stats_bench: $(OBJ)/tests/stats/bench_store.o $(STATS_LIB_OBJS) $(VARIANT)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_BASE) -o $@ $(filter-out $(VARIANT),$^) $(call pkg_libs,$(STATS_PKGS)) -lpthread -lm

TEST_BINS += $(STATS_UNIT_BINS) $(BUILD)/tests/stats_bench
SUITES += stats

.PHONY: check-stats bench-stats
check-stats: $(BUILD)/openline-stats $(STATS_UNIT_BINS) $(BUILD)/tests/stats_bench
	$(Q)tools/run-tests.sh stats

bench-stats: $(BUILD)/openline-stats $(BUILD)/tests/stats_bench
	$(Q)tests/bench/stats.sh
