using System.Globalization;
using Remediators.Local.Build;
using Remediators.Local.Runtime;
using Remediators.Local.Template;

namespace Remediators.Local;

/// <summary>Runs a template function locally without Docker, the way <c>sam local invoke</c> would.</summary>
public sealed class FunctionRunner
{
    public const string DefaultRegion = "us-east-1";

    /// <summary>Lambda's limit for the init phase, before the function asks for its first event.</summary>
    public static readonly TimeSpan LambdaInitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many function processes of this machine may be in their init phase at once. Lambda starts each sandbox on its own
    /// share of CPU; fifty .NET processes starting together on two cores would each take longer than the init limit, so
    /// invocations past this number wait for a slot before their process (and its init timer) starts. Once a function asks
    /// for its event it gives the slot back, so the invocations still run side by side.
    /// </summary>
    public static readonly SemaphoreSlim MachineInitSlots = new(Math.Max(2, Environment.ProcessorCount * 2));

    private readonly TextWriter _diagnostics;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _initSlots;
    private readonly TimeSpan _initTimeout;

    public FunctionRunner()
        : this(Console.Error, TimeProvider.System)
    {
    }

    /// <param name="diagnostics">Receives warnings, build output and the function's log lines.</param>
    /// <param name="initSlots">Bounds the processes in their init phase at once; <see cref="MachineInitSlots"/> unless a test gives its own.</param>
    /// <param name="initTimeout"><see cref="LambdaInitTimeout"/> unless a test suite sharing a loaded machine gives a longer one.</param>
    public FunctionRunner(TextWriter diagnostics, TimeProvider timeProvider, SemaphoreSlim? initSlots = null, TimeSpan? initTimeout = null)
    {
        _diagnostics = TextWriter.Synchronized(diagnostics);
        _timeProvider = timeProvider;
        _initSlots = initSlots ?? MachineInitSlots;
        _initTimeout = initTimeout ?? LambdaInitTimeout;
    }

    /// <exception cref="ConfigurationException">The template, samconfig.toml or the request cannot be used.</exception>
    /// <exception cref="BuildFailedException">The function did not build.</exception>
    public async Task<InvokeResult> InvokeAsync(InvokeRequest request, CancellationToken cancellationToken = default)
    {
        var region = ResolveRegion(request);
        var configuration = ResolveConfiguration(request, region);
        var (folder, entryPoint) = request.ArtifactsFolder is { } prebuilt
            ? (Path.GetFullPath(prebuilt), Path.Combine(Path.GetFullPath(prebuilt), configuration.Handler + ".dll"))
            : await BuildWithMakeAsync(request, configuration, cancellationToken);

        var invocation = RuntimeInvocation.Create(
            request.Event,
            $"arn:aws:lambda:{region}:{IntrinsicEvaluator.AccountId}:function:{request.LogicalId}",
            TimeSpan.FromSeconds(configuration.TimeoutSeconds),
            _timeProvider);
        await using var runtimeApi = LocalRuntimeApi.Start(invocation, _timeProvider);
        var environment = FunctionEnvironment(request, configuration, region, folder, runtimeApi.Address);
        await _initSlots.WaitAsync(cancellationToken);
        var initSlot = new InitSlot(_initSlots);
        RuntimeOutcome outcome;
        TimeSpan elapsed;
        long? peakMemory;
        FunctionProcess function;
        var started = _timeProvider.GetTimestamp();
        try
        {
            // A published folder runs its bootstrap when it has one; a make build runs as the template's Runtime says.
            function = FunctionProcess.Start(
                folder, entryPoint, preferBootstrap: request.ArtifactsFolder is not null || configuration.IsNative, environment, _diagnostics);
        }
        catch
        {
            initSlot.Release();
            throw;
        }
        using (function)
        {
            try
            {
                outcome = await WaitForOutcomeAsync(runtimeApi, function, invocation, initSlot, cancellationToken);
                elapsed = _timeProvider.GetElapsedTime(started);
                peakMemory = function.PeakResidentBytes();
            }
            finally
            {
                initSlot.Release();
                await function.StopAsync();
            }
        }

        return new InvokeResult(outcome.Answered, outcome.Body, function.Logs, elapsed, peakMemory) { RanNativeBootstrap = function.IsNative };
    }

    /// <summary>Builds the function with its make target when its build is missing or stale, as <see cref="InvokeAsync"/> would.</summary>
    /// <exception cref="BuildFailedException">The function did not build.</exception>
    public async Task BuildAsync(string repoRoot, string logicalId, CancellationToken cancellationToken = default)
    {
        var configuration = ResolveConfiguration(new InvokeRequest(repoRoot, logicalId, []), DefaultRegion);
        await new FunctionBuilder(_diagnostics, _timeProvider).EnsureBuiltAsync(repoRoot, logicalId, configuration.Handler, configuration.IsNative, cancellationToken);
    }

    private async Task<(string Folder, string EntryPoint)> BuildWithMakeAsync(InvokeRequest request, FunctionConfiguration configuration, CancellationToken cancellationToken)
    {
        var artifacts = await new FunctionBuilder(_diagnostics, _timeProvider)
            .EnsureBuiltAsync(request.RepoRoot, request.LogicalId, configuration.Handler, configuration.IsNative, cancellationToken);
        return (artifacts.Folder, artifacts.EntryPoint);
    }

    internal FunctionConfiguration ResolveConfiguration(InvokeRequest request, string region)
    {
        var template = SamTemplate.Load(Path.Combine(request.RepoRoot, RepositoryRoot.TemplateFileName));
        var function = template.GetFunction(request.LogicalId);
        var parameters = ParameterResolver.Resolve(
            template,
            SamConfig.ReadDeployParameterOverrides(request.RepoRoot),
            request.ParameterOverrides);
        var evaluator = new IntrinsicEvaluator(template, parameters, region, _diagnostics);
        return FunctionConfiguration.Resolve(function, evaluator)
            .WithEnvironmentOverrides(request.EnvironmentOverrides, _diagnostics);
    }

    internal static string ResolveRegion(InvokeRequest request) =>
        new[]
        {
            request.Region,
            request.ProcessEnvironment.GetValueOrDefault("AWS_REGION"),
            request.ProcessEnvironment.GetValueOrDefault("AWS_DEFAULT_REGION"),
            Environment.GetEnvironmentVariable("AWS_REGION"),
            Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"),
        }.FirstOrDefault(region => !string.IsNullOrEmpty(region)) ?? DefaultRegion;

    private async Task<RuntimeOutcome> WaitForOutcomeAsync(
        LocalRuntimeApi runtimeApi,
        FunctionProcess function,
        RuntimeInvocation invocation,
        InitSlot initSlot,
        CancellationToken cancellationToken)
    {
        using var timers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var finished = Task.WhenAny(runtimeApi.Outcome, function.Exited);
        var limit = _initTimeout;
        var first = await Task.WhenAny(finished, runtimeApi.EventDelivered, Task.Delay(limit, _timeProvider, timers.Token));
        initSlot.Release();
        if (first == runtimeApi.EventDelivered)
        {
            limit = invocation.Timeout;
            first = await Task.WhenAny(finished, Task.Delay(limit, _timeProvider, timers.Token));
        }

        await timers.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        if (runtimeApi.Outcome.IsCompleted)
        {
            return await runtimeApi.Outcome;
        }

        if (function.Exited.IsCompleted)
        {
            return RuntimeOutcome.Error(
                "Runtime.ExitError",
                $"RequestId: {invocation.RequestId} Error: Runtime exited with error: exit status {function.ExitCode}");
        }

        var phase = runtimeApi.EventDelivered.IsCompleted ? "Task" : "Init phase";
        return RuntimeOutcome.Error("Sandbox.Timedout", $"{phase} timed out after {limit.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds");
    }

    private static Dictionary<string, string> FunctionEnvironment(
        InvokeRequest request,
        FunctionConfiguration configuration,
        string region,
        string artifactsFolder,
        string runtimeApiAddress)
    {
        var environment = new Dictionary<string, string>(request.ProcessEnvironment, StringComparer.Ordinal);
        foreach (var (name, value) in configuration.Environment)
        {
            environment[name] = value;
        }

        environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApiAddress;
        environment["_HANDLER"] = configuration.Handler;
        environment["AWS_REGION"] = region;
        environment["AWS_DEFAULT_REGION"] = region;
        environment["AWS_LAMBDA_FUNCTION_NAME"] = configuration.LogicalId;
        environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = configuration.MemorySizeMb.ToString(CultureInfo.InvariantCulture);
        environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
        // Lambda leaves it unset on OS-only runtimes (provided.al2023).
        if (!configuration.IsNative)
        {
            environment["AWS_EXECUTION_ENV"] = "AWS_Lambda_" + configuration.Runtime;
        }

        environment["LAMBDA_TASK_ROOT"] = artifactsFolder;
        if (!string.IsNullOrEmpty(request.EndpointUrl))
        {
            environment["AWS_ENDPOINT_URL"] = request.EndpointUrl;
        }

        return environment;
    }

    /// <summary>One process's claim on <see cref="MachineInitSlots"/>, given back once, whichever way its init ends.</summary>
    private sealed class InitSlot(SemaphoreSlim slots)
    {
        private int _released;

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                slots.Release();
        }
    }
}
