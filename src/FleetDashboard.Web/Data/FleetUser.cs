using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;

namespace FleetDashboard.Web.Data;

public class FleetUser : IdentityUser
{
    public const int DisplayNameMaxLength = 100;

    // Identity and EF Core materialize users through this one.
    public FleetUser()
    {
    }

    /// <summary>A person signing in with their email address; the display name defaults to the address.</summary>
    public FleetUser(string email, string? displayName = null) : base(email)
    {
        Email = email;
        DisplayName = string.IsNullOrWhiteSpace(displayName) ? email : displayName.Trim();
    }

    /// <summary>How the dashboard names this person (app bar, action history). Required: <see cref="FleetUserValidator"/> refuses a blank one.</summary>
    [PersonalData]
    [MaxLength(DisplayNameMaxLength)]
    public string DisplayName { get; set; } = "";

    /// <summary>
    /// Support staff are not members of the applications they help with: they see a device or an
    /// application only while a support access grant on it is in force (the rule lives in the domain).
    /// </summary>
    public bool IsSupportStaff { get; set; }
}
