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
    public static readonly ActionKind Change = new("change-application-type", "Change application type", ApplicationRole.Administrator)
        { Menu = ActionMenu.Application, Order = 20, Form = ActionForm.ApplicationType, Build = i => new ChangeApplicationType(i.ApplicationType) };

    public override ActionKind Kind => Change;
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
            return Decision.Refuse($"{Type} applications have no public URLs: disable them on {English.Count(withUrl, "device")} first.");
        return Decision.Allowed;
    }

    public override void Apply(ApplicationContext context, ActionEffects effects) => context.Application.Type = Type;
}

/// <summary>Renames a Starter, Microservices or Essentials application.</summary>
public sealed record RenameApplication(string Name) : ApplicationAction
{
    public static readonly ActionKind Rename = new("rename-application", "Rename application", ApplicationRole.Administrator)
        { Menu = ActionMenu.Application, Order = 30, Form = ActionForm.ApplicationName, Build = i => new RenameApplication(i.Name.Trim()) };

    public override ActionKind Kind => Rename;
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
    public static readonly ActionKind Enable = new("all-public-urls-on", "Enable all public device URLs", ApplicationRole.Administrator)
        { Menu = ActionMenu.Application, Order = 40, Build = _ => new SetAllPublicUrls(true) };
    public static readonly ActionKind Disable = new("all-public-urls-off", "Disable all public device URLs", ApplicationRole.Administrator)
        { Menu = ActionMenu.Application, Order = 50, Build = _ => new SetAllPublicUrls(false) };

    public override ActionKind Kind => On ? Enable : Disable;

    public override IReadOnlyList<string> Warnings(ActionPlan plan) => On
        ?
        [
            "Applies to the devices provisioned now; devices provisioned later start with the URL off.",
            "Anyone with a device's URL reaches its port 80 over HTTP.",
        ]
        : ["Applies to the devices provisioned now."];
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
    public static readonly ActionKind Grant = new("grant-application-support", "Grant support access to the fleet", ApplicationRole.Administrator)
        { Menu = ActionMenu.Application, Order = 60, Form = ActionForm.SupportPeriod, Build = i => new GrantApplicationSupportAccess(i.SupportPeriod) };

    public override ActionKind Kind => Grant;
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
    public static readonly ActionKind Revoke = new("revoke-application-support", "Revoke support access to the fleet", ApplicationRole.Administrator)
        { Menu = ActionMenu.Application, Order = 70, Build = _ => new RevokeApplicationSupportAccess() };

    public override ActionKind Kind => Revoke;

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
    public static readonly ActionKind Delete = new("delete-application", "Delete application", ApplicationRole.Administrator)
        { Menu = ActionMenu.Application, Order = 80, Destroys = true, Build = _ => new DeleteApplication() };

    public override ActionKind Kind => Delete;
    public override bool TouchesEveryDevice => true;
    public override Decision Check(ApplicationContext context) => Decision.Allowed;

    public override IReadOnlyList<string> Warnings(ActionPlan plan) =>
    [
        "The application, its releases, members and saved views are deleted for good.",
        $"Its {English.Count(plan.Context.Devices.Count, "device")} are orphaned: their credentials stop working.",
    ];

    public override string? NameToType(ActionPlan plan) => plan.Context.Application.Name;

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
    public static readonly ActionKind Add = new("add-member", "Add member", ApplicationRole.Administrator)
        { Menu = ActionMenu.OwnPage };

    public override ActionKind Kind => Add;
    public override string Options => $"{Email} as {Role}";

    /// <summary>Who the email belongs to is looked up by the service, never taken from a caller.</summary>
    public override Mention Mentions => new(PersonEmail: Email);

    public override FleetAction Knowing(Found found) =>
        found.Person is { } person ? this with { UserId = person.UserId, Email = person.Email } : this with { UserId = "" };

    /// <summary>
    /// One refusal for every reason: saying "no one signs in as" would tell any application administrator which emails
    /// have accounts (an existing member is listed on the page anyway).
    /// </summary>
    public override Decision Check(ApplicationContext context) =>
        Decision.When(string.IsNullOrEmpty(UserId) || context.Members.Any(m => m.UserId == UserId), CannotAdd(Email, context.Application.Name));

    public static string CannotAdd(string email, string application) =>
        $"{email} cannot be added to {application}: check the address against the members listed here; an administrator of the organization creates accounts.";

    public override void Apply(ApplicationContext context, ActionEffects effects) =>
        effects.Added.Add(new ApplicationMember { ApplicationId = context.Application.Id, UserId = UserId, Role = Role });
}

public sealed record ChangeMemberRole(string UserId, string Email, ApplicationRole Role) : ApplicationAction
{
    public static readonly ActionKind Change = new("change-member-role", "Change member role", ApplicationRole.Administrator)
        { Menu = ActionMenu.OwnPage };

    public override ActionKind Kind => Change;
    public override string Options => $"{Email} to {Role}";

    public override Mention Mentions => new(PersonUserId: UserId);

    public override FleetAction Knowing(Found found) => this with { Email = found.Person?.Email ?? $"user {UserId}" };

    public override Decision Check(ApplicationContext context) =>
        Decision.When(context.Members.All(m => m.UserId != UserId), $"{Email} is not a member of {context.Application.Name}.");

    public override void Apply(ApplicationContext context, ActionEffects effects) =>
        context.Members.Single(m => m.UserId == UserId).Role = Role;
}

public sealed record RemoveMember(string UserId, string Email) : ApplicationAction
{
    public static readonly ActionKind Remove = new("remove-member", "Remove member", ApplicationRole.Administrator)
        { Menu = ActionMenu.OwnPage };

    public override ActionKind Kind => Remove;
    public override string Options => Email;

    public override Mention Mentions => new(PersonUserId: UserId);

    public override FleetAction Knowing(Found found) => this with { Email = found.Person?.Email ?? $"user {UserId}" };

    public override Decision Check(ApplicationContext context) =>
        Decision.When(context.Members.All(m => m.UserId != UserId), $"{Email} is not a member of {context.Application.Name}.");

    public override void Apply(ApplicationContext context, ActionEffects effects) =>
        effects.Removed.Add(context.Members.Single(m => m.UserId == UserId));
}

/// <summary>
/// Publishes a build: its commit (what devices report they run), its services' images, a version people call it by
/// (unique in the application; the commit when none is given) and a note. The page and the HTTP API both create
/// releases through this action.
/// </summary>
public sealed record CreateRelease(string Commit, IReadOnlyDictionary<string, string> Services, string? Version = null, string Note = "")
    : ApplicationAction
{
    public const int MaxVersionLength = 64;
    public const int MaxNoteLength = 500;
    public const int MaxImageLength = 255;

    public static readonly ActionKind Create = new("create-release", "Create release", ApplicationRole.Developer)
        { Menu = ActionMenu.OwnPage };

    public override ActionKind Kind => Create;
    public override string Options => TheVersion == Commit ? Commit : $"{TheVersion} ({Commit})";

    /// <summary>The version the release gets.</summary>
    public string TheVersion => string.IsNullOrWhiteSpace(Version) ? Commit : Version.Trim();

    public override Decision Check(ApplicationContext context) =>
        Decision.When(string.IsNullOrWhiteSpace(Commit) || Commit.Length > 64 || Commit.Any(char.IsWhiteSpace),
                "A release commit is 1 to 64 characters without spaces.")
            .Then(() => Decision.When(Services.Count == 0, "A release has at least one service."))
            .Then(() => Decision.When(Services.Any(s => !IsReference(s.Key, 64) || !IsReference(s.Value, MaxImageLength)),
                $"Each service of a release has a name and an image reference, without spaces (an image at most {MaxImageLength} characters)."))
            .Then(() => Decision.When(TheVersion.Length > MaxVersionLength || TheVersion.Any(char.IsWhiteSpace),
                $"A release version is 1 to {MaxVersionLength} characters without spaces."))
            .Then(() => Decision.When(Note.Length > MaxNoteLength, $"A release note has at most {MaxNoteLength} characters."))
            .Then(() => Decision.When(context.Releases.Any(r => r.Commit == Commit), $"Release {Commit} already exists."))
            .Then(() => Decision.When(context.Releases.Any(r => string.Equals(r.Version, TheVersion, StringComparison.OrdinalIgnoreCase)),
                $"{context.Application.Name} already has a release {TheVersion}."));

    private static bool IsReference(string value, int most) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= most && !value.Any(char.IsWhiteSpace);

    public override void Apply(ApplicationContext context, ActionEffects effects) =>
        effects.Added.Add(new Release
        {
            ApplicationId = context.Application.Id, Commit = Commit, Version = TheVersion, Note = Note.Trim(),
            CreatedAt = context.Now, CreatedBy = effects.By.Email, Services = new Dictionary<string, string>(Services),
        });
}

public sealed record SetTargetRelease(int ReleaseId) : ApplicationAction
{
    public static readonly ActionKind Set = new("set-target-release", "Set target release", ApplicationRole.Developer)
        { Menu = ActionMenu.Application, Order = 10, Form = ActionForm.Release, Build = i => new SetTargetRelease(i.ReleaseId ?? 0) };

    public override ActionKind Kind => Set;
    public override bool ChangesTargetState => true;
    public override string Options => $"release #{ReleaseId}";

    public override Decision Check(ApplicationContext context) =>
        Decision.When(context.Releases.All(r => r.Id != ReleaseId), $"{context.Application.Name} has no release #{ReleaseId}.");

    public override void Apply(ApplicationContext context, ActionEffects effects) =>
        context.Application.TargetReleaseId = ReleaseId;
}
