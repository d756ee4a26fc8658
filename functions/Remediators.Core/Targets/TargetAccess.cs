using System.Collections.Concurrent;
using Amazon.SecurityToken;
using Remediators.Core.Aws;
using Remediators.Core.Events;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;

namespace Remediators.Core.Targets;

/// <summary>
/// A function's way to its targets: admits an event's target (resolved and checked by <see cref="TargetScope"/>, then, in
/// organization mode, membership), connects to it (the hub's own credentials at home, else the member role's, assumed once
/// per account) and makes its clients. Held for the container's lifetime, so its caches are too.
/// </summary>
public sealed class TargetAccess
{
    /// <summary>Granted by template.yaml only under these conditions: assuming member roles, and asking Organizations who is a member.</summary>
    public static readonly FeatureActions[] FeatureIamActions =
    [
        new("MemberTargetsOn", ["sts:AssumeRole"]),
        new("OrganizationTargetsOn", ["organizations:DescribeAccount"]),
    ];

    private readonly string _functionName;
    private readonly AwsClients? _hub;
    private readonly IRoleAssumer? _assumer;
    private readonly IOrganizationMembership? _membership;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, Member> _members = new(StringComparer.Ordinal);
    private FunctionScope? _home;

    /// <param name="hub">The hub's own clients; null only where no function builds clients from this (in-process tests).</param>
    /// <param name="assumer">Needed once any account but the function's own may be a target.</param>
    /// <param name="membership">Needed in organization mode.</param>
    public TargetAccess(string functionName, TargetSettings settings, AwsClients? hub,
        IRoleAssumer? assumer = null, IOrganizationMembership? membership = null, TimeProvider? clock = null)
    {
        if (!settings.IsOwnAccountOnly && assumer is null)
            throw new ArgumentException("member targets need a way to assume their roles", nameof(assumer));
        if (settings.WholeOrganization && membership is null)
            throw new ArgumentException("organization mode needs the organization's membership", nameof(membership));
        _functionName = functionName;
        Settings = settings;
        _hub = hub;
        _assumer = assumer;
        _membership = membership;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Today's single-account use: the function's own account and region only, nothing assumed.</summary>
    public static TargetAccess OwnAccountOnly(string functionName, AwsClients? hub = null) => new(functionName, TargetSettings.OwnAccountOnly, hub);

    /// <summary>The targets the environment allows (TARGET_ACCOUNTS...), reached through <paramref name="hub"/>'s credentials.</summary>
    public static TargetAccess FromEnvironment(string functionName, EnvironmentSettings env, AwsClients hub)
    {
        var settings = TargetSettings.FromEnvironment(env);
        var region = env.Optional("AWS_REGION") ?? "us-east-1";
        var assumer = settings.IsOwnAccountOnly ? null : new StsRoleAssumer(hub.Sdk<AmazonSecurityTokenServiceClient, AmazonSecurityTokenServiceConfig>(
            region, (credentials, config) => new AmazonSecurityTokenServiceClient(credentials, config)));
        var membership = settings.WholeOrganization ? new OrganizationMembership(hub.Organizations(region), settings.OrganizationId!) : null;
        return new TargetAccess(functionName, settings, hub, assumer, membership);
    }

    public TargetSettings Settings { get; }

    /// <summary>
    /// The event's target, or why it is refused: before any call but, in organization mode, DescribeAccount of the accounts it
    /// names (once per account per container).
    /// </summary>
    public async Task<TargetResolution> AdmitAsync(Trigger trigger, InvocationContext context, TargetKind kind, CancellationToken cancellationToken)
    {
        if (FunctionScope.Of(context) is not { } home)
            return TargetResolution.Refused(FunctionScope.UnknownScopeReason);
        _home = home;
        var resolution = new TargetScope(home, Settings).Resolve(trigger, kind);
        if (resolution.Target is not { } target || _membership is null)
            return resolution;
        foreach (var account in new[] { trigger.Envelope.Account, target.Account }.Distinct().Where(a => a != home.Account))
        {
            if (!await _membership.IsMemberAsync(account, cancellationToken))
                return TargetResolution.Refused(
                    $"account {account} is not an active member of organization {_membership.OrganizationId}; this function acts only in account {home.Account} and the organization's");
        }
        return resolution;
    }

    /// <summary>
    /// Makes sure the target's credentials are at hand (AssumeRole into a member's role, unless held); null when they are, else
    /// the target's Failed result, naming the role and what to deploy. Its error makes the handler fail the invocation after
    /// reporting, so Lambda retries it as usual.
    /// </summary>
    public async Task<ResourceResult?> ConnectAsync(Target target, string eventId, CancellationToken cancellationToken)
    {
        if (IsHome(target))
            return null;
        var member = MemberFor(target.Account);
        try
        {
            await member.Credentials.EnsureAsync(eventId, cancellationToken);
            return null;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return MemberRoles.Unavailable(target, member.Credentials.RoleArn, error);
        }
    }

    /// <summary>The clients for <paramref name="target"/>'s account: the hub's own, or those on its member role (after <see cref="ConnectAsync"/>).</summary>
    public AwsClients ClientsFor(Target target)
    {
        var hub = _hub ?? throw new InvalidOperationException("this TargetAccess was made without the hub's clients");
        return IsHome(target) ? hub : MemberFor(target.Account).Clients;
    }

    /// <summary>The results with each change's undo text naming the target's account, region and role; unchanged at home.</summary>
    public IReadOnlyList<ResourceResult> WithUndoFor(Target target, IReadOnlyList<ResourceResult> results) =>
        target == Home ? results :
        [
            .. results.Select(result => result with
            {
                Changes = [.. result.Changes.Select(change => change with { HowToUndo = UndoIn(target, change.HowToUndo) })],
            }),
        ];

    /// <summary>One undo text, prefixed with where (and in a member, as whom) to run it; unchanged in the function's own account and region.</summary>
    public string UndoIn(Target target, string howToUndo) =>
        target == Home ? howToUndo
        : IsHome(target) ? $"In region {target.Region} (add --region {target.Region}): {howToUndo}"
        : MemberRoles.UndoIn(target, MemberRoles.RoleArn(target, Settings.MemberRolePrefix, _functionName), howToUndo);

    /// <summary>The function's own account and region (known once an event was admitted).</summary>
    public Target Home => _home is { } home
        ? new Target(home.Account, home.Region)
        : throw new InvalidOperationException("no event was admitted, so the function's own account is unknown");

    /// <summary>Whether <paramref name="target"/> is the function's own account (known once an event was admitted).</summary>
    public bool IsHome(Target target) => target.Account == Home.Account;

    private Member MemberFor(string account) => _members.GetOrAdd(account, a =>
    {
        var assumer = _assumer ?? throw new InvalidOperationException($"account {a} is not this function's, and no member accounts are configured");
        var credentials = new MemberRoleCredentials(MemberRoles.RoleArn(new Target(a, _home!.Region), Settings.MemberRolePrefix, _functionName), assumer, _clock);
        var hub = _hub ?? throw new InvalidOperationException("this TargetAccess was made without the hub's clients");
        return new Member(credentials, hub.WithCredentials(credentials));
    });

    private sealed record Member(MemberRoleCredentials Credentials, AwsClients Clients);
}
