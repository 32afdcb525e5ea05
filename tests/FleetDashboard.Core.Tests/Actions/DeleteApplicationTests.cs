using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>SPEC §3 Delete application: permanent; its devices are orphaned.</summary>
public class DeleteApplicationTests
{
    [Fact]
    public void Devices_are_orphaned_and_the_application_its_members_and_releases_removed()
    {
        var devices = new[] { Device(), OfflineDevice() };
        var member = new ApplicationMember { ApplicationId = TheApplicationId, UserId = Bob.UserId, Role = ApplicationRole.Operator };
        var release = new Release { Id = 3, ApplicationId = TheApplicationId, Commit = "abc", Version = "1.0.0", CreatedBy = Bob.UserId };
        var context = Context(devices) with { Members = [member], Releases = [release] };

        var effects = new DeleteApplication().Run(context);

        Assert.All(devices, d =>
        {
            Assert.Null(d.ApplicationId);
            Assert.Equal(Now, d.OrphanedAt);
            Assert.Null(d.ConnectedAt);
        });
        Assert.Contains(context.Application, effects.Removed);
        Assert.Contains(member, effects.Removed);
        Assert.Contains(release, effects.Removed);
        Assert.Empty(effects.Added);
    }

    [Fact]
    public void Deleting_touches_every_device_so_each_gets_an_outcome()
    {
        Assert.True(new DeleteApplication().TouchesEveryDevice);
        Assert.True(new SetAllPublicUrls(true).TouchesEveryDevice);
        Assert.False(new RenameApplication("x").TouchesEveryDevice);
    }
}
