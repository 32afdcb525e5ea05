using Microsoft.AspNetCore.Identity;

namespace FleetDashboard.Web.Data;

// Add profile data for application users by adding properties to the FleetUser class
public class FleetUser : IdentityUser
{
}

