using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Tests.Devices;
using Microsoft.EntityFrameworkCore;

namespace FleetDashboard.Web.Tests.Cluster;

/// <summary>
/// The node set behind the load balancer that ./run.sh --cluster starts: Debian's nginx from deploy/nginx/fleet-cluster.conf
/// in front of two real nodes. People sign in and browse through it, devices reach the hub through it, and a Blazor
/// circuit (its negotiation, then its WebSocket) stays on the node that holds it while clients spread over both.
/// </summary>
public sealed class NginxTests(NginxCluster cluster) : IClassFixture<NginxCluster>
{
    private static string Node(HttpResponseMessage response) =>
        response.Headers.TryGetValues(NginxCluster.NodeHeader, out var values) ? values.Single() : "(no node)";

    [Fact]
    public async Task A_page_and_a_sign_in_work_through_nginx_on_either_node()
    {
        await cluster.A.CreateUserAsync("through-nginx@acme.test", "Through-nginx-1");
        using var browser = new FleetBrowser(cluster.Front.Address);

        using var login = await browser.GetAsync("Account/Login");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("Input.Password", await login.Content.ReadAsStringAsync());
        using var signIn = await browser.SignInAsync("through-nginx@acme.test", "Through-nginx-1");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.True(browser.HasAuthCookie);

        // Another routing cookie is another node, sooner or later: the sign-in holds on both (shared keys).
        var nodes = new HashSet<string>();
        for (var attempt = 0; attempt < 40 && nodes.Count < 2; attempt++)
        {
            browser.Cookies.Add(cluster.Front.Address, new Cookie("fleet_node", Guid.NewGuid().ToString("N")));
            using var page = await browser.GetAsync("applications");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            nodes.Add(Node(page));
        }
        Assert.Equal(["a", "b"], nodes.Order());
    }

    [Fact]
    public async Task A_device_registers_and_connects_through_nginx_and_is_seen_Online()
    {
        var fleet = await cluster.A.FleetAsync("behind-nginx");
        var registered = await Fleet.RegisterAsync(cluster.Front.Address, fleet.ProvisioningKey, fleet.DeviceType);
        var id = await fleet.DeviceIdAsync(registered.Uuid);

        await using var device = await TestDevice.ConnectAsync(cluster.Front.Address, registered.Credential);
        await device.ReportAsync();

        await Wait.UntilAsync(async () => await cluster.A.QueryAsync(async db =>
                (await db.Devices.AsNoTracking().SingleAsync(d => d.Id == id)).StatusAt(DateTimeOffset.UtcNow) == DeviceStatus.Online),
            "the device behind nginx to be Online");
    }

    [Fact]
    public async Task A_circuit_stays_on_the_node_that_negotiated_it_while_clients_spread_over_both()
    {
        var nodes = new HashSet<string>();
        // Twenty fresh clients: all on one node by chance once in half a million runs.
        for (var client = 0; client < 20; client++)
            nodes.Add(await OpenCircuitConnectionAsync());

        Assert.Equal(["a", "b"], nodes.Order());
    }

    /// <summary>
    /// What blazor.web.js does for a circuit, up to the hub's handshake: a page, a negotiation, then the WebSocket with
    /// the negotiated id, which only the node that negotiated it knows (anywhere else: 404). Returns that node.
    /// </summary>
    private async Task<string> OpenCircuitConnectionAsync()
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = cluster.Front.Address,
        };
        using var page = await http.GetAsync("Account/Login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var node = Node(page);

        using var negotiation = await http.PostAsync("_blazor/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.OK, negotiation.StatusCode);
        Assert.Equal(node, Node(negotiation));
        var token = (await negotiation.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("connectionToken").GetString();

        using var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        socket.Options.CollectHttpResponseDetails = true;
        var url = new UriBuilder(new Uri(cluster.Front.Address, $"_blazor?id={Uri.EscapeDataString(token!)}")) { Scheme = "ws" }.Uri;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(url, deadline.Token);
        Assert.Equal(node, socket.HttpResponseHeaders!["X-Fleet-Test-Node"].Single());

        // The SignalR handshake the circuit starts with: the node's hub answers an empty object.
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"blazorpack\",\"version\":1}\u001e"),
            WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
        var buffer = new byte[256];
        var answer = await socket.ReceiveAsync(buffer, deadline.Token);
        Assert.Equal("{}\u001e", Encoding.UTF8.GetString(buffer, 0, answer.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token);
        return node;
    }
}
