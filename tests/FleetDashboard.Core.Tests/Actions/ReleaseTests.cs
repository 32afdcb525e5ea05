using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>Releases and the target release (Developer).</summary>
public class ReleaseTests
{
    private static readonly Dictionary<string, string> OneService = new() { ["main"] = "registry/main:1" };

    private static Release Existing(int id, string commit) =>
        new() { Id = id, ApplicationId = TheApplicationId, Commit = commit, Version = $"v-{commit}", CreatedAt = Now.AddDays(-1), CreatedBy = Bob.UserId };

    [Fact]
    public void Release_is_created_with_its_services()
    {
        var services = new Dictionary<string, string> { ["main"] = "registry/main:2", ["proxy"] = "registry/proxy:1" };

        var effects = new CreateRelease("4f2a9c1", services).Run(Context());

        var release = Assert.IsType<Release>(Assert.Single(effects.Added));
        Assert.Equal((TheApplicationId, "4f2a9c1", Alice.Email, Now), (release.ApplicationId, release.Commit, release.CreatedBy, release.CreatedAt));
        Assert.Equal(services, release.Services);
        Assert.NotSame(services, release.Services);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("4f2a 9c1")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123x")]
    public void Commit_is_1_to_64_characters_without_spaces(string commit)
    {
        Assert.Equal("A release commit is 1 to 64 characters without spaces.",
            new CreateRelease(commit, OneService).Check(Context()).Refusal);
    }

    [Fact]
    public void Commit_of_64_characters_is_taken()
    {
        Assert.True(new CreateRelease(new string('c', 64), OneService).Check(Context()).IsAllowed);
    }

    [Fact]
    public void Release_without_services_is_refused()
    {
        Assert.Equal("A release has at least one service.",
            new CreateRelease("4f2a9c1", new Dictionary<string, string>()).Check(Context()).Refusal);
    }

    [Fact]
    public void Commit_that_already_exists_is_refused()
    {
        var context = Context() with { Releases = [Existing(1, "4f2a9c1")] };

        Assert.Equal("Release 4f2a9c1 already exists.", new CreateRelease("4f2a9c1", OneService).Check(context).Refusal);
    }

    [Fact]
    public void Target_release_is_set()
    {
        var context = Context() with { Releases = [Existing(1, "a"), Existing(2, "b")] };
        var target = new SetTargetRelease(2);

        Assert.True(target.Check(context).IsAllowed);
        target.Run(context);

        Assert.Equal(2, context.Application.TargetReleaseId);
    }

    [Fact]
    public void Release_of_another_application_cannot_be_the_target()
    {
        var context = Context() with { Releases = [Existing(1, "a")] };

        Assert.Equal("Kiosks has no release #9.", new SetTargetRelease(9).Check(context).Refusal);
    }

    [Fact]
    public void Release_carries_its_version_and_note()
    {
        var release = Assert.IsType<Release>(Assert.Single(
            new CreateRelease("4f2a9c1", OneService, "1.4.0", " Faster boot. ").Run(Context()).Added));

        Assert.Equal(("1.4.0", "Faster boot."), (release.Version, release.Note));
        Assert.Equal("1.4.0 (4f2a9c1)", new CreateRelease("4f2a9c1", OneService, "1.4.0").Options);
    }

    [Fact]
    public void Release_without_a_version_is_called_by_its_commit()
    {
        var release = Assert.IsType<Release>(Assert.Single(new CreateRelease("4f2a9c1", OneService).Run(Context()).Added));

        Assert.Equal("4f2a9c1", release.Version);
    }

    [Fact]
    public void Version_is_unique_in_the_application_whatever_its_case()
    {
        var context = Context() with { Releases = [Existing(1, "aaa")] };

        Assert.Equal("Kiosks already has a release V-AAA.", new CreateRelease("bbb", OneService, "V-AAA").Check(context).Refusal);
        Assert.True(new CreateRelease("bbb", OneService, "v-bbb").Check(context).IsAllowed);
    }

    [Theory]
    [InlineData("1.4 beta")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345")]
    public void Version_is_1_to_64_characters_without_spaces(string version)
    {
        Assert.Equal("A release version is 1 to 64 characters without spaces.",
            new CreateRelease("4f2a9c1", OneService, version).Check(Context()).Refusal);
    }

    [Theory]
    [InlineData("main", "")]
    [InlineData("main", "registry/main 1")]
    [InlineData("", "registry/main:1")]
    public void Every_service_needs_an_image_reference(string service, string image)
    {
        Assert.StartsWith("Each service of a release has a name and an image reference",
            new CreateRelease("4f2a9c1", new Dictionary<string, string> { [service] = image }).Check(Context()).Refusal);
    }

    [Fact]
    public void Note_longer_than_500_characters_is_refused()
    {
        Assert.Equal("A release note has at most 500 characters.",
            new CreateRelease("4f2a9c1", OneService, "1.0.0", new string('n', 501)).Check(Context()).Refusal);
    }

    [Fact]
    public void Device_is_pinned_to_a_release_of_its_application_and_unpinned()
    {
        var device = Device();
        var context = Context(device) with { Releases = [Existing(1, "a"), Existing(2, "b")] };

        var pin = Plan(new PinRelease(2), context, Member(ApplicationRole.Developer));
        pin.Run(context);
        Assert.Equal(2, device.PinnedReleaseId);
        Assert.Equal("already pinned to it", SkipIn(new PinRelease(2), context)?.Reason);

        Plan(new PinRelease(null), context, Member(ApplicationRole.Developer)).Run(context);
        Assert.Null(device.PinnedReleaseId);
        Assert.Equal("not pinned", SkipIn(new PinRelease(null), context)?.Reason);
    }

    [Fact]
    public void Device_cannot_be_pinned_to_a_release_its_application_does_not_have()
    {
        var device = Device();
        var context = Context(device) with { Releases = [Existing(1, "a")] };

        var plan = Plan(new PinRelease(9), context, Member(ApplicationRole.Developer));

        Assert.Equal("Kiosks has no release #9.", plan.Decision.Refusal);
        Assert.Null(device.PinnedReleaseId);
    }

    [Fact]
    public void Operator_cannot_pin_a_device()
    {
        var context = Context(Device()) with { Releases = [Existing(1, "a")] };

        Assert.Contains("needs the Developer role", Plan(new PinRelease(1), context, Operator()).Decision.Refusal);
    }

    [Fact]
    public void A_move_unpins_the_device()
    {
        var device = Device();
        device.PinnedReleaseId = 1;
        var context = Context(device);

        Plan(MoveTo(Context(Application(id: 11, name: "Lobby"))), context).Run(context);

        Assert.Null(device.PinnedReleaseId);
    }

    private static Skip? SkipIn(DeviceAction action, ApplicationContext context) =>
        Plan(action, context, Member(ApplicationRole.Developer)).Devices.Single().Skip;
}
