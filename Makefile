# SAM builds each function with `make build-<LogicalId>` (Metadata: BuildMethod: makefile); the local runner uses the same targets.
# NATIVE_AOT=true (`NATIVE_AOT=true sam build`, needed for FunctionRuntime=provided.al2023) also publishes the function
# with Native AOT and puts the executable beside the JIT build as `bootstrap`; that needs clang or gcc on Linux x64.
# The AOT publish keeps its intermediate files under .local/native-aot, apart from the JIT build's.
define publish
	dotnet publish functions/$(1)/$(1).csproj -c Release -r linux-x64 --self-contained false -o "$(ARTIFACTS_DIR)"
	$(if $(filter true,$(NATIVE_AOT)),dotnet publish functions/$(1)/$(1).csproj -c Release -r linux-x64 -p:PublishAot=true \
		--artifacts-path .local/native-aot/$(1) -o .local/native-aot/$(1)/out && cp .local/native-aot/$(1)/out/$(1) "$(ARTIFACTS_DIR)/bootstrap")
endef

MOTO_VERSION = 5.2.1

.PHONY: test test-tools demo mutation

build-PublicIngressRevoker:
	$(call publish,PublicIngressRevoker)

build-UnusedKeyDisabler:
	$(call publish,UnusedKeyDisabler)

build-AttackerIpBlocker:
	$(call publish,AttackerIpBlocker)

build-BlocklistPruner:
	$(call publish,BlocklistPruner)

build-EncryptionEnforcer:
	$(call publish,EncryptionEnforcer)

# The tests need moto's server (the AWS emulator) and cfn-lint; pip installs each only when it is missing.
test-tools:
	@python3 -c "import moto.server" >/dev/null 2>&1 || python3 -m pip install --quiet "moto[server]==$(MOTO_VERSION)"
	@command -v cfn-lint >/dev/null 2>&1 || python3 -m pip install --quiet cfn-lint

test: test-tools
	dotnet test Remediators.sln

# The whole suite on a seeded, vulnerable account in moto; `make demo DEMO_ARGS=--dry-run` changes nothing, and
# `DEMO_ARGS=--org` runs it on a hub with two member accounts in two regions instead.
demo:
	dotnet run --project tools/Remediators.Local -- demo $(DEMO_ARGS)

# Mutation testing (Stryker.NET, a local dotnet tool) of the decision code against the unit tests: one run per project,
# each mutating only its policy, planner and classifier files; every project runs, then it fails if any scored under 85 %.
# Reports land in .local/mutation/<project>; docs/benchmarks.md records the scores and the survivors judged equivalent.
MUTATION_TARGETS = \
	Remediators.Core:Blocklist/AddressClassifier.cs,Blocklist/IpSetPlanner.cs,Blocklist/NaclDenyPlanner.cs,Remediation/ExemptionPolicy.cs \
	PublicIngressRevoker:PublicIngressPolicy.cs,PublicAddressSpace.cs,PublicExposure.cs \
	AttackerIpBlocker:AttackerIpPolicy.cs \
	BlocklistPruner:PrunePolicy.cs \
	UnusedKeyDisabler:UnusedKeyPolicy.cs \
	EncryptionEnforcer:EncryptionPolicy.cs,TlsOnlyPolicy.cs,KmsKeyArn.cs

mutation:
	dotnet tool restore
	@set -f; under=""; for target in $(MUTATION_TARGETS); do \
		project=$${target%%:*}; files=$${target#*:}; mutate=""; \
		for file in $$(echo $$files | tr ',' ' '); do mutate="$$mutate --mutate **/$$file"; done; \
		(cd tests/Remediators.Tests && dotnet stryker --project $$project.csproj $$mutate \
			--concurrency $(or $(MUTATION_CONCURRENCY),2) --output $(CURDIR)/.local/mutation/$$project) || under="$$under $$project"; \
	done; \
	if [ -n "$$under" ]; then echo "mutation score under 85 % (or run failed):$$under"; exit 1; fi
