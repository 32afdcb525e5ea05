using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using FleetDashboard.Web.Api.AccessTokens;
using Microsoft.Extensions.DependencyInjection;

namespace FleetDashboard.Web.Tests.Api;

/// <summary>A script's HTTP client: the server's address and a personal access token made for a person, as their account page makes one.</summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    private ApiClient(Uri server, string token)
    {
        Token = token;
        _http = new HttpClient { BaseAddress = server };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public string Token { get; }

    public static async Task<ApiClient> ForAsync(FleetServer server, ClaimsPrincipal user, string name = "tests")
    {
        var issued = await server.Services.GetRequiredService<AccessTokens>().CreateAsync(user, name, TimeSpan.FromDays(30));
        Assert.Null(issued.Problem);
        return new ApiClient(server.BaseAddress, issued.Secret!);
    }

    /// <summary>A client of another server with a token already made (a node of a cluster, in a process of its own).</summary>
    public static ApiClient On(Uri server, string token) => new(server, token);

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public Task<HttpResponseMessage> PostAsync(string path, object body) => _http.PostAsJsonAsync(path, body);

    public Task<HttpResponseMessage> DeleteAsync(string path) => _http.DeleteAsync(path);

    /// <summary>The answer's JSON, after checking its status (and saying the body when it is not the one expected).</summary>
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>An RFC 9457 problem with <paramref name="status"/>: its detail.</summary>
    public static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response, status);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem.GetProperty("detail").GetString()!;
    }

    public void Dispose() => _http.Dispose();
}
