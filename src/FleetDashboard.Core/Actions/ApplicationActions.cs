using FleetDashboard.Core.Access;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;

namespace FleetDashboard.Core.Actions;

// Actions on the application itself: the administrator's, and the developer's releases.

/// <summary>
/// Changes the application's type: never to Legacy; every device must meet the type's host OS minimum;
/// paid types need a Paid organization; Starter keeps the organization's Starter device limit;
/// Essentials has no public URLs.
/// </summary>
public sealed record ChangeApplicationType(ApplicationType Type) : ApplicationAction
{
    public override string Title => "Change application type";
    public override ApplicationRole LeastRole => ApplicationRole.Administrator;
    public override string Options => $"to {Type}";

    public override Decision Check(ApplicationContext context)
    {
        var application = context.Application;
        if (!Type.CanBeChosen()) return Decision.Refuse($"No application can become {Type}.");
        if (application.Type == Type) return Decision.Refuse($"{application.Name} is already {Type}.");
        if (Type.IsPaid() && context.Organization.Plan != Organizations.OrganizationPlan.Paid)
            return Decision.Refuse($"{Type} is a paid type: {context.Organization.Name} needs the Paid plan.");
        if (Type.HostOsMinimum() is { } minimum)
        {
            var behind = context.Devices.Where(d => d.HostOsVersion < minimum).ToList();
            if (behind.Count > 0)
                return Decision.Refuse(
                    $"{Type} needs host OS {minimum} or newer on every device; {behind.Count} are older ({string.Join(", ", behind.Take(5).Select(d => d.Name))}{(behind.Count > 5 ? ", …" : "")}).");
        }
        if (Type == ApplicationType.Starter)
        {
            var total = context.StarterDevicesElsewhere + context.Devices.Count;
            if (total > ApplicationTypeRules.StarterDeviceLimit)
                return Decision.Refuse(
                    $"Starter applications of {context.Organization.Name} hold at most {ApplicationTypeRules.StarterDeviceLimit} devices together; this would make {total}.");
        }
        if (!Type.AllowsPublicUrls() && context.Devices.Count(d => d.PublicUrlEnabled) is > 0 and var withUrl)
            return Decision.Refuse($"{Type} applications have no public URLs: disable them on {withUrl} devices first.");
        return Decision.Allowed;
    }

    public override void Apply(ApplicationContext context, ActionEffects effects) => context.Application.Type = Type;
}

/// <summary>Renames a Starter, Microservices or Essentials application.</summary>
public sealed record RenameApplication(string Name) : ApplicationAction
{
    public override string Title => "Rename application";
    public override ApplicationRole LeastRole => ApplicationRole.Administrator;
    public override string Options => $"to \"{Name}\"";

    public override Decision Check(ApplicationContext context) =>
        Decision.When(!context.Application.Type.CanBeRenamed(), $"{context.Application.Type} applications cannot be renamed.")
            .Then(() => Names.Problem(Name, "application") is { } problem ? Decision.Refuse(problem) : Decision.Allowed)
            .Then(() => Decision.When(context.OtherApplicationNames.Any(n => Names.Same(n, Name)),
                $"{context.Organization.Name} already has an application named {Name}."));

    public override void Apply(ApplicationContext context, ActionEffects effects) => context.Application.Name = Name;
}

/// <summary>Turns the public URL on or off on every device provisioned now; later devices start with it off.</summary>
public sealed record SetAllPublicUrls(bool On) : ApplicationAction
{
    public override string Title => On ? "Enable all public device URLs" : "Disable all public device URLs";
    public override ApplicationRole LeastRole => ApplicationRole.Administrator;
    public override bool TouchesEveryDevice => true;

    public override Decision Check(ApplicationContext context) =>
        Decision.When(On && !context.Application.Type.AllowsPublicUrls(),
            $"{context.Application.Type} applications have no public device URLs.");

    public override void Apply(ApplicationContext context, ActionEffects effects)
    {
        foreach (var device in context.Devices) device.PublicUrlEnabled = On;
    }
}

public sealed record GrantApplicationSupportAccess(TimeSpan Period) : ApplicationAction
{
    public override string Title => "Grant support access to the fleet";
    public override ApplicationRole LeastRole => ApplicationRole.Administrator;
    public override string Options => $"for {SupportGrant.Describe(Period)}";

    public override Decision Check(ApplicationContext context) =>
        SupportGrant.PeriodProblem(Period) is { } problem ? Decision.Refuse(problem) : Decision.Allowed;

    public override void Apply(ApplicationContext context, ActionEffects effects) =>
        effects.Added.Add(new SupportGrant
        {
            ApplicationId = context.Application.Id, GrantedBy = effects.By.Email, GrantedAt = context.Now, Until = context.Now + Period,
        });
}

public sealed record RevokeApplicationSupportAccess : ApplicationAction
{
    public override string Title => "Revoke support access to the fleet";
    public override ApplicationRole LeastRole => ApplicationRole.Administrator;

    private static IEnumerable<SupportGrant> InForce(ApplicationContext context) =>
        context.SupportGrants.Where(g => g.ApplicationId == context.Application.Id && g.InForceAt(context.Now));

    public override Decision Check(ApplicationContext context) =>
        Decision.When(!InForce(context).Any(), $"{context.Application.Name} has no support access in force.");

    public override void Apply(ApplicationContext context, ActionEffects effects)
    {
        foreach (var grant in InForce(context)) grant.RevokedAt = context.Now;
    }
}

/// <summary>Deletes the application for good: its devices are orphaned and their credentials stop working.</summary>
public sealed record DeleteApplication : ApplicationAction
{
    public override string Title => "Delete application";
    public override ApplicationRole LeastRole => ApplicationRole.Administrator;
    public override bool TouchesEveryDevice => true;
    public override Decision Check(ApplicationContext context) => Decision.Allowed;

    public override void Apply(ApplicationContext context, ActionEffects effects)
    {
        foreach (var device in context.Devices) device.Orphan(context.Now);
        effects.Removed.AddRange(context.Members);
        effects.Removed.AddRange(context.Releases);
        effects.Removed.AddRange(context.SavedViews);
        // Keys and wall links die with the application: nothing can join it or watch it any more.
        foreach (var key in context.ProvisioningKeys.Where(k => k.IsActive)) key.RevokedAt = context.Now;
        foreach (var link in context.WallDisplayLinks.Where(l => l.IsActive)) link.RevokedAt = context.Now;
        effects.Removed.Add(context.Application);
    }
}

public sealed record AddMember(string UserId, string Email, ApplicationRole Role) : ApplicationAction
{
    public override string Title => "Add member";
    public override ApplicationRole LeastRole => ApplicationRole.Administrator;
    public override string Options => $"{Email} as {Role}";

    public override Decision Check(ApplicationContext context) =>
        Decision.When(string.IsNullOrEmpty(UserId), $"No one signs in as {Email}: an administrator creates the account first.")
            .Then(() => Decision.When(context.Members.Any(m => m.UserId == UserId), $"{Email} is already a member of {context.Application.Name}."));

    public override void Apply(ApplicationContext context, ActionEffects effects) =>
        effects.Added.Add(new ApplicationMember { ApplicationId = context.Application.Id, UserId = UserId, Role = Role });
}

public sealed record ChangeMemberRole(string UserId, string Email, ApplicationRole Role) : ApplicationAction
{
    public override string Title => "Change member role";
    public override ApplicationRole LeastRole => ApplicationRole.Administrator;
    public override string Options => $"{Email} to {Role}";

    public override Decision Check(ApplicationContext context) =>
        Decision.When(context.Members.All(m => m.UserId != UserId), $"{Email} is not a member of {context.Application.Name}.");

    public override void Apply(ApplicationContext context, ActionEffects effects) =>
        context.Members.Single(m => m.UserId == UserId).Role = Role;
}

public sealed record RemoveMember(string UserId, string Email) : ApplicationAction
{
    public override string Title => "Remove member";
    public override ApplicationRole LeastRole => ApplicationRole.Administrator;
    public override string Options => Email;

    public override Decision Check(ApplicationContext context) =>
        Decision.When(context.Members.All(m => m.UserId != UserId), $"{Email} is not a member of {context.Application.Name}.");

    public override void Apply(ApplicationContext context, ActionEffects effects) =>
        effects.Removed.Add(context.Members.Single(m => m.UserId == UserId));
}

public sealed record CreateRelease(string Commit, IReadOnlyDictionary<string, string> Services) : ApplicationAction
{
    public override string Title => "Create release";
    public override ApplicationRole LeastRole => ApplicationRole.Developer;
    public override string Options => Commit;

    public override Decision Check(ApplicationContext context) =>
        Decision.When(string.IsNullOrWhiteSpace(Commit) || Commit.Length > 64 || Commit.Any(char.IsWhiteSpace),
                "A release commit is 1 to 64 characters without spaces.")
            .Then(() => Decision.When(Services.Count == 0, "A release has at least one service."))
            .Then(() => Decision.When(context.Releases.Any(r => r.Commit == Commit), $"Release {Commit} already exists."));

    public override void Apply(ApplicationContext context, ActionEffects effects) =>
        effects.Added.Add(new Release
        {
            ApplicationId = context.Application.Id, Commit = Commit, CreatedAt = context.Now, CreatedBy = effects.By.Email,
            Services = new Dictionary<string, string>(Services),
        });
}

public sealed record SetTargetRelease(int ReleaseId) : ApplicationAction
{
    public override string Title => "Set target release";
    public override ApplicationRole LeastRole => ApplicationRole.Developer;
    public override bool ChangesTargetState => true;
    public override string Options => $"release #{ReleaseId}";

    public override Decision Check(ApplicationContext context) =>
        Decision.When(context.Releases.All(r => r.Id != ReleaseId), $"{context.Application.Name} has no release #{ReleaseId}.");

    public override void Apply(ApplicationContext context, ActionEffects effects) =>
        context.Application.TargetReleaseId = ReleaseId;
}
