using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using static FleetDashboard.Core.Tests.Fleet;

namespace FleetDashboard.Core.Tests.Actions;

/// <summary>Releases and the target release (Developer).</summary>
public class ReleaseTests
{
    private static readonly Dictionary<string, string> OneService = new() { ["main"] = "registry/main:1" };

    private static Release Existing(int id, string commit) =>
        new() { Id = id, ApplicationId = TheApplicationId, Commit = commit, CreatedAt = Now.AddDays(-1), CreatedBy = Bob.UserId };

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
}
