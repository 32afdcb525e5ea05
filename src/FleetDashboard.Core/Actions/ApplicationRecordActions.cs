using FleetDashboard.Core.Access;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Selection;

namespace FleetDashboard.Core.Actions;

// Records that hang off an application: provisioning keys, saved views, wall display links.

/// <summary>
/// Makes a provisioning key, optionally good only until <paramref name="ExpiresAt"/> or for <paramref name="MaxUses"/>
/// devices; its secret is shown once (<see cref="ActionEffects.SecretToShowOnce"/>), then only its hash is kept.
/// Developer and above (issue 12): a key enrols devices that will run the application's releases, which are the developer's.
/// </summary>
public sealed record CreateProvisioningKey(string Name, DateTimeOffset? ExpiresAt = null, int? MaxUses = null) : ApplicationAction
{
    public static readonly ActionKind Create = new("create-provisioning-key", "Create provisioning key", ApplicationRole.Developer)
        { Menu = ActionMenu.OwnPage };

    public override ActionKind Kind => Create;

    public override string Options => string.Join(", ", new[]
    {
        Name,
        ExpiresAt is { } expires ? $"expires {expires.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : null,
        MaxUses is { } most ? $"at most {most} devices" : null,
    }.OfType<string>());

    public override Decision Check(ApplicationContext context) =>
        Names.Problem(Name, "provisioning key") is { } problem ? Decision.Refuse(problem)
            : ExpiresAt <= context.Now ? Decision.Refuse("A provisioning key must expire in the future.")
            : MaxUses < 1 ? Decision.Refuse("A provisioning key registers at least one device.")
            : Decision.When(context.ProvisioningKeys.Any(k => k.IsActive && Names.Same(k.Name, Name)),
                $"{context.Application.Name} already has a provisioning key named {Name}.");

    public override void Apply(ApplicationContext context, ActionEffects effects)
    {
        effects.Added.Add(new ProvisioningKey
        {
            ApplicationId = context.Application.Id, Name = Name, KeyHash = effects.IssueSecret(),
            CreatedBy = effects.By.Email, CreatedAt = context.Now, ExpiresAt = ExpiresAt, MaxUses = MaxUses,
        });
    }
}

public sealed record RevokeProvisioningKey(int KeyId) : ApplicationAction
{
    public static readonly ActionKind Revoke = new("revoke-provisioning-key", "Revoke provisioning key", ApplicationRole.Developer)
        { Menu = ActionMenu.OwnPage };

    public override ActionKind Kind => Revoke;
    public override string Options => $"key #{KeyId}";

    public override Decision Check(ApplicationContext context) =>
        Decision.When(!context.ProvisioningKeys.Any(k => k.Id == KeyId && k.IsActive),
            $"{context.Application.Name} has no active provisioning key #{KeyId}.");

    public override void Apply(ApplicationContext context, ActionEffects effects) =>
        context.ProvisioningKeys.Single(k => k.Id == KeyId).RevokedAt = context.Now;
}

/// <summary>Saves the filters applied to the device list under a name every member of the application can recall.</summary>
public sealed record SaveView(string Name, IReadOnlyList<DeviceFilter> Filters) : ApplicationAction
{
    public static readonly ActionKind Save = new("save-view", "Save view", ApplicationRole.Operator)
        { Menu = ActionMenu.OwnPage };

    public override ActionKind Kind => Save;
    public override string Options => $"{Name}: {DeviceSelection.Describe(Filters)}";

    public override Decision Check(ApplicationContext context) =>
        (Names.Problem(Name, "view") is { } problem ? Decision.Refuse(problem) : Decision.Allowed)
            .Then(() => Decision.When(Filters.Count == 0, "A saved view holds at least one filter."))
            .Then(() => Decision.When(context.SavedViews.Any(v => Names.Same(v.Name, Name)),
                $"{context.Application.Name} already has a view named {Name}."));

    public override void Apply(ApplicationContext context, ActionEffects effects) =>
        effects.Added.Add(new SavedView
        {
            ApplicationId = context.Application.Id, Name = Name, Filters = [.. Filters], CreatedBy = effects.By.Email,
            CreatedAt = context.Now,
        });
}

public sealed record RenameView(int ViewId, string Name) : ApplicationAction
{
    public static readonly ActionKind Rename = new("rename-view", "Rename view", ApplicationRole.Operator)
        { Menu = ActionMenu.OwnPage };

    public override ActionKind Kind => Rename;
    public override string Options => $"view #{ViewId} to \"{Name}\"";

    public override Decision Check(ApplicationContext context) =>
        Decision.When(context.SavedViews.All(v => v.Id != ViewId), $"{context.Application.Name} has no view #{ViewId}.")
            .Then(() => Names.Problem(Name, "view") is { } problem ? Decision.Refuse(problem) : Decision.Allowed)
            .Then(() => Decision.When(context.SavedViews.Any(v => v.Id != ViewId && Names.Same(v.Name, Name)),
                $"{context.Application.Name} already has a view named {Name}."));

    public override void Apply(ApplicationContext context, ActionEffects effects) =>
        context.SavedViews.Single(v => v.Id == ViewId).Name = Name;
}

public sealed record DeleteView(int ViewId) : ApplicationAction
{
    public static readonly ActionKind Delete = new("delete-view", "Delete view", ApplicationRole.Operator)
        { Menu = ActionMenu.OwnPage };

    public override ActionKind Kind => Delete;
    public override string Options => $"view #{ViewId}";

    /// <summary>
    /// A view an active wall link shows stays until an administrator revokes the link: an Operator may neither widen
    /// an anonymous screen to the whole application nor revoke a link, which is an administrator's to do.
    /// </summary>
    public override Decision Check(ApplicationContext context) =>
        context.SavedViews.FirstOrDefault(v => v.Id == ViewId) is not { } view
            ? Decision.Refuse($"{context.Application.Name} has no view #{ViewId}.")
            : context.WallDisplayLinks.FirstOrDefault(l => l.SavedViewId == ViewId && l.IsActive) is { } link
                ? Decision.Refuse($"The view {view.Name} is shown by wall display link #{link.Id} (made by {link.CreatedBy}): an administrator revokes that link first.")
                : Decision.Allowed;

    /// <summary>Revoked links keep naming the view they showed; nothing reads a revoked link's view.</summary>
    public override void Apply(ApplicationContext context, ActionEffects effects) =>
        effects.Removed.Add(context.SavedViews.Single(v => v.Id == ViewId));
}

/// <summary>Makes a read-only wall screen link for the application or one of its saved views; shown once.</summary>
public sealed record CreateWallDisplayLink(int? SavedViewId) : ApplicationAction
{
    public static readonly ActionKind Create = new("create-wall-link", "Create wall display link", ApplicationRole.Administrator)
        { Menu = ActionMenu.OwnPage };

    public override ActionKind Kind => Create;
    public override string Options => SavedViewId is { } id ? $"view #{id}" : "whole application";

    public override Decision Check(ApplicationContext context) =>
        Decision.When(SavedViewId is { } id && context.SavedViews.All(v => v.Id != id),
            $"{context.Application.Name} has no view #{SavedViewId}.");

    public override void Apply(ApplicationContext context, ActionEffects effects)
    {
        effects.Added.Add(new WallDisplayLink
        {
            ApplicationId = context.Application.Id, SavedViewId = SavedViewId, TokenHash = effects.IssueSecret(),
            CreatedBy = effects.By.Email, CreatedAt = context.Now,
        });
    }
}

public sealed record RevokeWallDisplayLink(int LinkId) : ApplicationAction
{
    public static readonly ActionKind Revoke = new("revoke-wall-link", "Revoke wall display link", ApplicationRole.Administrator)
        { Menu = ActionMenu.OwnPage };

    public override ActionKind Kind => Revoke;
    public override string Options => $"link #{LinkId}";

    public override Decision Check(ApplicationContext context) =>
        Decision.When(!context.WallDisplayLinks.Any(l => l.Id == LinkId && l.IsActive),
            $"{context.Application.Name} has no active wall display link #{LinkId}.");

    public override void Apply(ApplicationContext context, ActionEffects effects) =>
        context.WallDisplayLinks.Single(l => l.Id == LinkId).RevokedAt = context.Now;
}
