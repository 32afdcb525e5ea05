using FleetDashboard.Web.Actions;
using System.Net;
using System.Security.Claims;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Web.Tests.Services;

/// <summary>The CSV endpoints over the real server: the signed-in cookie, the same visibility as the page, the filters.</summary>
public class HistoryExportEndpointsTests(FleetServer server) : IClassFixture<FleetServer>
{
    private const string Password = "Right-password-1";

    private async Task<(int ApplicationId, int DeviceId, string Member, string Stranger)> FleetAsync()
    {
        var member = await server.CreateUserAsync($"member-{Guid.NewGuid():N}@acme.test", Password);
        var stranger = await server.CreateUserAsync($"stranger-{Guid.NewGuid():N}@acme.test", Password);
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<FleetDbContext>>().CreateDbContextAsync();
        var organization = new Organization { Name = $"Acme {Guid.NewGuid():N}", Plan = OrganizationPlan.Paid, BillingAccountValid = true };
        db.Organizations.Add(organization);
        await db.SaveChangesAsync();
        var application = new Application { OrganizationId = organization.Id, Name = "kiosks", Type = ApplicationType.Microservices, DefaultDeviceType = "raspberrypi4-64" };
        db.Applications.Add(application);
        await db.SaveChangesAsync();
        db.ApplicationMembers.Add(new ApplicationMember { ApplicationId = application.Id, UserId = member.Id, Role = ApplicationRole.Operator });
        var device = new Device
        {
            Uuid = Device.NewUuid(), Name = "kiosk-1", DeviceType = "raspberrypi4-64", ApplicationId = application.Id,
            HostOsVersion = new FleetVersion(2, 13, 1), AgentVersion = new FleetVersion(1, 4, 2), ProvisionedAt = DateTimeOffset.UtcNow,
        };
        db.Devices.Add(device);
        await db.SaveChangesAsync();
        var actor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, member.Id)], "test"));
        await server.Services.GetRequiredService<ActionService>()
            .RunAsync(actor, new(new SetDeviceTag("=cmd", "x"), DeviceTargets.Device(application.Id, device.Id)));
        return (application.Id, device.Id, member.Email!, stranger.Email!);
    }

    [Fact]
    public async Task A_member_downloads_the_csv_of_the_application_and_of_the_device()
    {
        var (applicationId, deviceId, member, _) = await FleetAsync();
        using var browser = server.CreateBrowser();
        await browser.SignInAsync(member, Password);

        foreach (var path in new[] { $"applications/{applicationId}/history.csv", $"devices/{deviceId}/history.csv?action=set-tag&outcome=Succeeded" })
        {
            using var response = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(string.Join(",", HistoryCsv.Header), lines[0]);
            Assert.Contains(",Set tag,'=cmd = x,Device,,,kiosk-1,", Assert.Single(lines.Skip(1)));
        }
    }

    [Fact]
    public async Task Whoever_may_not_see_it_gets_not_found_and_a_stranger_to_the_site_the_sign_in()
    {
        var (applicationId, deviceId, _, stranger) = await FleetAsync();
        using var anonymous = server.CreateBrowser();
        using var signedOut = await anonymous.GetAsync($"applications/{applicationId}/history.csv");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Contains("/Account/Login", signedOut.Headers.Location!.OriginalString);

        using var browser = server.CreateBrowser();
        await browser.SignInAsync(stranger, Password);
        using var application = await browser.GetAsync($"applications/{applicationId}/history.csv");
        using var device = await browser.GetAsync($"devices/{deviceId}/history.csv");
        using var missing = await browser.GetAsync("applications/999999/history.csv");
        Assert.Equal(HttpStatusCode.NotFound, application.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, device.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.DoesNotContain("kiosk-1", await application.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Filters_that_cannot_be_read_are_a_bad_request()
    {
        var (applicationId, _, member, _) = await FleetAsync();
        using var browser = server.CreateBrowser();
        await browser.SignInAsync(member, Password);

        using var outcome = await browser.GetAsync($"applications/{applicationId}/history.csv?outcome=exploded");
        using var time = await browser.GetAsync($"applications/{applicationId}/history.csv?from=yesterday");

        Assert.Equal(HttpStatusCode.BadRequest, outcome.StatusCode);
        Assert.Contains("Unknown outcome", await outcome.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, time.StatusCode);
    }
}
