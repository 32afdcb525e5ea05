using FleetDashboard.Web.Actions;
using System.Net.Http.Json;
using FleetDashboard.Core.Actions;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Protocol;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Services;
using FleetDashboard.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using FleetDashboard.Testing;

namespace FleetDashboard.Web.Tests.Devices;

/// <summary>The device endpoint over a real Kestrel port and real SignalR connections.</summary>
public sealed class DeviceHubTests(StrictDeviceServer server) : IClassFixture<StrictDeviceServer>
{
    private async Task<Device> DeviceAsync(int id)
    {
        await using var db = await server.DbAsync();
        return await db.Devices.AsNoTracking().SingleAsync(d => d.Id == id);
    }

    [Fact]
    public async Task A_device_registers_with_a_key_is_Post_provisioning_then_Online_while_connected_then_Offline()
    {
        var fleet = await server.FleetAsync("lifecycle");
        var registered = await fleet.RegisterAsync(name: "kiosk-1");
        var id = await fleet.DeviceIdAsync(registered.Uuid);
        Assert.Equal(DeviceStatus.PostProvisioning, (await DeviceAsync(id)).StatusAt(DateTimeOffset.UtcNow));
        Assert.True(Device.IsValidUuid(registered.Uuid));
        Assert.True(registered.Credential.Length >= 22);

        var device = await TestDevice.ConnectAsync(server.BaseAddress, registered.Credential);
        await Wait.UntilAsync(async () => (await DeviceAsync(id)).ConnectedAt is not null, "the device to be recorded as connected");
        await device.ReportAsync(hostOs: "2.14.0", agent: "1.5.0");
        var online = await DeviceAsync(id);
        Assert.Equal(DeviceStatus.Online, online.StatusAt(DateTimeOffset.UtcNow));
        Assert.Equal(new FleetVersion(2, 14, 0), online.HostOsVersion);
        Assert.Equal("192.168.7.20", online.IpAddresses);

        await device.DisposeAsync();
        await Wait.UntilAsync(async () => (await DeviceAsync(id)).ConnectedAt is null, "the device to be recorded as disconnected");
        // The server saw it close: Offline at once, young heartbeat or not.
        Assert.Equal(DeviceStatus.Offline, (await DeviceAsync(id)).StatusAt(DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Registration_with_an_unknown_key_or_a_foreign_architecture_is_refused()
    {
        var fleet = await server.FleetAsync("registration");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var unknown = await http.PostAsJsonAsync(DeviceProtocol.RegisterPath.TrimStart('/'),
            new RegisterRequest(DeviceProtocol.Version, "not-a-key", "raspberrypi4-64", null, "2.13.1", "1.4.2"));
        var foreign = await http.PostAsJsonAsync(DeviceProtocol.RegisterPath.TrimStart('/'),
            new RegisterRequest(DeviceProtocol.Version, fleet.ProvisioningKey, "intel-nuc", null, "2.13.1", "1.4.2"));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, unknown.StatusCode);
        Assert.Contains("The provisioning key is unknown.", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Contains("cannot join registration", await foreign.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_device_cannot_connect_without_its_own_credential()
    {
        var fleet = await server.FleetAsync("impersonation");
        var registered = await fleet.RegisterAsync();

        // Its uuid is no credential, nor is anything made up.
        var byUuid = await Record.ExceptionAsync(() => TestDevice.ConnectAsync(server.BaseAddress, registered.Uuid));
        var madeUp = await Record.ExceptionAsync(() => TestDevice.ConnectAsync(server.BaseAddress, "x" + registered.Credential));
        Assert.True(TestDevice.IsUnauthorized(byUuid!), byUuid?.ToString());
        Assert.True(TestDevice.IsUnauthorized(madeUp!), madeUp?.ToString());
        Assert.Null((await DeviceAsync(await fleet.DeviceIdAsync(registered.Uuid))).FirstConnectedAt);
    }

    [Fact]
    public async Task A_signed_in_browser_cookie_alone_does_not_open_the_device_hub()
    {
        await server.FleetAsync("hub-cookie");
        using var browser = server.CreateBrowser();
        using var signIn = await browser.SignInAsync("hub-cookie-operator@acme.test", "Operator-password-1");
        Assert.True(browser.HasAuthCookie, $"sign-in answered {(int)signIn.StatusCode}");

        // The hub's branch reads no cookie: the browser's session is nobody there.
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, DeviceProtocol.HubPath.TrimStart('/')), o => o.Cookies = browser.Cookies)
            .Build();
        var refused = await Record.ExceptionAsync(() => connection.StartAsync());

        Assert.True(TestDevice.IsUnauthorized(refused!), refused?.ToString());
    }

    [Fact]
    public async Task Deleting_a_device_cuts_its_open_connection_within_a_second_and_its_credential_stops_working()
    {
        var fleet = await server.FleetAsync("revoked");
        var registered = await fleet.RegisterAsync();
        var id = await fleet.DeviceIdAsync(registered.Uuid);
        await using var device = await TestDevice.ConnectAsync(server.BaseAddress, registered.Credential);
        await Wait.UntilAsync(() => server.Services.GetRequiredService<DeviceConnections>().IsConnected(id), "the connection to be registered");

        var run = await server.Actions.ConfirmedRunAsync(fleet.Operator, new(new DeleteDevice(), DeviceTargets.Device(fleet.ApplicationId, id)));

        Assert.Null(run.Refusal);
        await Wait.UntilAsync(device.Closed, "the server to close the deleted device's connection", TimeSpan.FromSeconds(1));
        var again = await Record.ExceptionAsync(() => TestDevice.ConnectAsync(server.BaseAddress, registered.Credential));
        Assert.True(TestDevice.IsUnauthorized(again!), again?.ToString());
    }

    [Fact]
    public async Task Deleting_an_application_orphans_its_devices_and_cuts_their_connections()
    {
        var fleet = await server.FleetAsync("doomed");
        var connected = new List<TestDevice>();
        for (var i = 0; i < 3; i++) connected.Add(await TestDevice.ConnectAsync(server.BaseAddress, (await fleet.RegisterAsync()).Credential));
        var admin = await server.CreateUserAsync("doomed-admin@acme.test", "Admin-password-1");
        await using (var db = await server.DbAsync())
        {
            var organizationId = (await db.Applications.SingleAsync(a => a.Id == fleet.ApplicationId)).OrganizationId;
            db.OrganizationMembers.Add(new Core.Organizations.OrganizationMember { OrganizationId = organizationId, UserId = admin.Id, Role = Core.Organizations.OrganizationRole.Administrator });
            await db.SaveChangesAsync();
        }

        var run = await server.Actions.ConfirmedRunAsync(Services.FleetStore.SignedIn(admin), ActionRequest.On(fleet.ApplicationId, new DeleteApplication()));

        Assert.Null(run.Refusal);
        foreach (var device in connected) await Wait.UntilAsync(device.Closed, "every orphaned device's connection to close", TimeSpan.FromSeconds(2));
        foreach (var device in connected) await device.DisposeAsync();
    }

    // Flooding has its own tests: DeviceFloodTests.
    [Fact]
    public async Task Malformed_and_oversized_messages_are_refused_while_other_devices_keep_working()
    {
        var fleet = await server.FleetAsync("abuse");
        var bystander = await fleet.RegisterAsync(name: "bystander");
        var bystanderId = await fleet.DeviceIdAsync(bystander.Uuid);
        await using var good = await TestDevice.ConnectAsync(server.BaseAddress, bystander.Credential);

        // Malformed: a version that is no version, and a message of the wrong shape.
        await using (var sloppy = await TestDevice.ConnectAsync(server.BaseAddress, (await fleet.RegisterAsync()).Credential))
        {
            var badVersion = await Assert.ThrowsAsync<HubException>(() => sloppy.ReportAsync(hostOs: "banana"));
            Assert.Contains("versions are numbers", badVersion.Message, StringComparison.OrdinalIgnoreCase);
            await Assert.ThrowsAnyAsync<Exception>(() => sloppy.Connection.InvokeAsync(DeviceProtocol.Report, "not a report"));
        }

        // Oversized: the connection that sent it is closed.
        await using (var big = await TestDevice.ConnectAsync(server.BaseAddress, (await fleet.RegisterAsync()).Credential))
        {
            var huge = new DeviceReport(DeviceProtocol.Version, "2.13.1", "1.4.2", new string('a', DeviceProtocol.MaxMessageBytes * 2), [], false, DeviceProgress.Idle, null);
            _ = Record.ExceptionAsync(() => big.Connection.InvokeAsync(DeviceProtocol.Report, huge));
            await Wait.UntilAsync(big.Closed, "the server to close the connection that sent an oversized message");
        }

        await good.ReportAsync(hostOs: "2.14.0");
        Assert.Equal(new FleetVersion(2, 14, 0), (await DeviceAsync(bystanderId)).HostOsVersion);
        Assert.Equal(HubConnectionState.Connected, good.Connection.State);
    }
}
