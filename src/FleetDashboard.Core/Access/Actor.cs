namespace FleetDashboard.Core.Access;

/// <summary>The signed-in person an action is done by.</summary>
public sealed record Actor(string UserId, string Email, bool IsSupportStaff = false);
