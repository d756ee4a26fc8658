# SAM builds each function with `make build-<LogicalId>` (Metadata: BuildMethod: makefile); the local runner uses the same targets.
PUBLISH = dotnet publish -c Release -r linux-x64 --self-contained false -o "$(ARTIFACTS_DIR)"
MOTO_VERSION = 5.2.1

.PHONY: test test-tools demo

build-PublicIngressRevoker:
	$(PUBLISH) functions/PublicIngressRevoker/PublicIngressRevoker.csproj

build-UnusedKeyDisabler:
	$(PUBLISH) functions/UnusedKeyDisabler/UnusedKeyDisabler.csproj

build-AttackerIpBlocker:
	$(PUBLISH) functions/AttackerIpBlocker/AttackerIpBlocker.csproj

build-BlocklistPruner:
	$(PUBLISH) functions/BlocklistPruner/BlocklistPruner.csproj

build-EncryptionEnforcer:
	$(PUBLISH) functions/EncryptionEnforcer/EncryptionEnforcer.csproj

# The tests need moto's server (the AWS emulator) and cfn-lint; pip installs each only when it is missing.
test-tools:
	@python3 -c "import moto.server" >/dev/null 2>&1 || python3 -m pip install --quiet "moto[server]==$(MOTO_VERSION)"
	@command -v cfn-lint >/dev/null 2>&1 || python3 -m pip install --quiet cfn-lint

test: test-tools
	dotnet test Remediators.sln

# The whole suite on a seeded, vulnerable account in moto; `make demo DEMO_ARGS=--dry-run` changes nothing.
demo:
	dotnet run --project tools/Remediators.Local -- demo $(DEMO_ARGS)
