namespace FleetDashboard.Core.Actions;

/// <summary>The policy's answer: allowed, or refused with a reason a person can read.</summary>
public sealed record Decision(string? Refusal)
{
    public static Decision Allowed { get; } = new((string?)null);

    public bool IsAllowed => Refusal is null;

    public static Decision Refuse(string reason) => new(reason);

    /// <summary>This decision if it refuses, otherwise the next one (evaluated only when needed).</summary>
    public Decision Then(Func<Decision> next) => IsAllowed ? next() : this;

    public static Decision When(bool refused, string reason) => refused ? Refuse(reason) : Allowed;
}
