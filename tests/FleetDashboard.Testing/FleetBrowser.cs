using System.Net;
using System.Text.RegularExpressions;

namespace FleetDashboard.Testing;

/// <summary>
/// What a browser without JavaScript does: keeps cookies, reads the antiforgery token from a page's form
/// and posts it back. Redirects are not followed, so a test sees each one.
/// </summary>
public sealed partial class FleetBrowser : IDisposable
{
    public const string AuthCookieName = ".AspNetCore.Identity.Application";

    private readonly HttpClient _client;

    public FleetBrowser(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        _client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
        };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => _client;

    public bool HasAuthCookie => Cookies.GetCookies(_client.BaseAddress!).Any(cookie => cookie.Name == AuthCookieName);

    public Task<HttpResponseMessage> GetAsync(string path) => _client.GetAsync(path);

    public async Task<string> GetPageAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new HttpRequestException($"GET {path} answered {(int)response.StatusCode}, not 200.", null, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Loads <paramref name="pagePath"/>, then posts the form named <paramref name="formName"/> with its antiforgery token.</summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(string pagePath, string formName, IReadOnlyDictionary<string, string> fields, string? postPath = null)
    {
        var page = await GetPageAsync(pagePath);
        var form = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
            ["_handler"] = formName,
        };
        return await _client.PostAsync(postPath ?? pagePath, new FormUrlEncodedContent(form));
    }

    /// <summary>Posts the sign-in form of /Account/Login, as a person typing into it would.</summary>
    public Task<HttpResponseMessage> SignInAsync(string email, string password, string loginPath = "Account/Login") =>
        SubmitFormAsync(loginPath, "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    public static string AntiforgeryToken(string html)
    {
        var match = AntiforgeryInput().Match(html);
        if (!match.Success) throw new InvalidOperationException("The page has no antiforgery token.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex(@"name=""__RequestVerificationToken""[^>]*?value=""([^""]+)""")]
    private static partial Regex AntiforgeryInput();

    public void Dispose() => _client.Dispose();
}
