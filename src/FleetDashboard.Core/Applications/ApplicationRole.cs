namespace FleetDashboard.Core.Applications;

/// <summary>A member's role on an application, in increasing order of what it allows.</summary>
public enum ApplicationRole { Observer = 1, Operator = 2, Developer = 3, Administrator = 4 }

public sealed class ApplicationMember
{
    public int ApplicationId { get; set; }
    public required string UserId { get; set; }
    public ApplicationRole Role { get; set; }
}
