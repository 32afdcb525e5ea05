using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Data;

public class FleetDbContext(DbContextOptions<FleetDbContext> options) : IdentityDbContext<FleetUser>(options)
{
}
