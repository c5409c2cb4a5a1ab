# tinhso: `make` builds build/tinhso and the web UI (web/dist); `make run` serves the demo province on
# http://127.0.0.1:8080; `make test` builds and runs every test on SQLite and PostgreSQL.
# Each target first installs missing Debian packages (scripts/bootstrap.sh, quick when none are).

BUILD ?= build
JOBS ?= $(shell nproc)
DB ?= sqlite:var/tinhso.db
LISTEN ?= 127.0.0.1:8080
# Where the demo is reached: printed in receipts' QR codes and certificates' CRL addresses.
PUBLIC_URL ?= http://$(LISTEN)
# The local stand-in for VNeID (tests/support/oidc_op.mjs, npm oidc-provider) that `make run` starts.
OIDC_PORT ?= 8091
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
FORMAT_FILES = $(shell git ls-files -co --exclude-standard -- 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 'bench/*.hpp')

.PHONY: all deps configure build run test fuzz format format-check bench clean

all: build

deps:
	@bash scripts/bootstrap.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) --target tinhso -j $(JOBS)
	bash scripts/build-web.sh $(BUILD)/tinhso

run: build
	@mkdir -p var
	$(BUILD)/tinhso migrate --database $(DB)
	$(BUILD)/tinhso demo load --database $(DB) --dossiers 20000 --if-empty
	TINHSO_PUBLIC_BASE_URL=$(PUBLIC_URL) $(BUILD)/tinhso demo pki --database $(DB)
	@printf '%s\n' '[[oidc.providers]]' 'id = "vneid"' \
	  'name_vi = "VNeID (mô phỏng trên máy này)"' 'name_en = "VNeID (simulated on this machine)"' \
	  'issuer = "http://127.0.0.1:$(OIDC_PORT)"' 'client_id = "tinhso"' \
	  'client_secret = "tinhso-bi-mat"' 'redirect_base_url = "$(PUBLIC_URL)"' \
	  'post_logout_redirect_uri = "$(PUBLIC_URL)/dang-nhap"' > var/demo-oidc.toml
	@# The provider lives as long as its stdin: it ends with this target (Ctrl-C).
	@sleep infinity | node tests/support/oidc_op.mjs --port $(OIDC_PORT) --alg RS256 \
	  --redirect-uri $(PUBLIC_URL)/api/v1/auth/oidc/vneid/callback \
	  --post-logout-uri $(PUBLIC_URL)/dang-nhap > var/oidc-op.log 2>&1 &
	@echo "VNeID demo: at its sign-in page use cong-dan-1, cong-dan-2, doanh-nghiep-1 or khong-dinh-danh (any password)."
	TINHSO_PUBLIC_BASE_URL=$(PUBLIC_URL) $(BUILD)/tinhso serve --database $(DB) --listen $(LISTEN) \
	  --config var/demo-oidc.toml --with-simulators

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES) || \
	  (echo "Unformatted code: run 'make format'." >&2; exit 1)

test: configure format-check
	cmake --build $(BUILD) -j $(JOBS)
	bash scripts/build-web.sh $(BUILD)/tinhso
	scripts/with-postgres.sh ctest --test-dir $(BUILD) -j $(JOBS) --output-on-failure --timeout 300
	bash scripts/fuzz.sh 30

# The parsers of files from anyone (PDF, XML and CMS signatures) under libFuzzer, 10 minutes each.
fuzz: deps
	bash scripts/fuzz.sh 600

bench:
	@bash scripts/bootstrap.sh --bench
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS) -DTINHSO_BUILD_BENCH=ON
	cmake --build $(BUILD) -j $(JOBS)
	bash bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)
