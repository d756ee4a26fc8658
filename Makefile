# SAM builds each function with `make build-<LogicalId>` (Metadata: BuildMethod: makefile); the local runner uses the same targets.
PUBLISH = dotnet publish -c Release -r linux-x64 --self-contained false -o "$(ARTIFACTS_DIR)"
MOTO_VERSION = 5.2.1

.PHONY: test moto

build-PublicIngressRevoker:
	$(PUBLISH) functions/PublicIngressRevoker/PublicIngressRevoker.csproj

build-UnusedKeyDisabler:
	$(PUBLISH) functions/UnusedKeyDisabler/UnusedKeyDisabler.csproj

# Installs moto's server with pip only when it is missing, then runs every test.
moto:
	@command -v moto_server >/dev/null 2>&1 || python3 -m pip install --quiet "moto[server]==$(MOTO_VERSION)"

test: moto
	dotnet test Remediators.sln
