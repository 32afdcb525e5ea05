using System.Net;
using FleetDashboard.Web.Tests.Infrastructure;

namespace FleetDashboard.Web.Tests.Components.Account;

/// <summary>Real form posts to the static sign-in page, antiforgery token included, as a browser sends them.</summary>
public class SignInTests(FleetServer server) : IClassFixture<FleetServer>
{
    private const string Password = "Right-password-1";

    private static string NewEmail() => $"person-{Guid.NewGuid():N}@acme.test";

    private static string PathOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        return location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0];
    }

    [Fact]
    public async Task A_person_signs_in_with_the_right_password_and_gets_the_auth_cookie()
    {
        var email = NewEmail();
        await server.CreateUserAsync(email, Password, displayName: "Grace Operator");
        using var browser = server.CreateBrowser();

        using var signIn = await browser.SignInAsync(email, Password);

        Assert.Equal("/", PathOf(signIn));
        Assert.True(browser.HasAuthCookie);
        using var home = await browser.GetAsync("");
        Assert.Equal("/applications", PathOf(home));
        var applications = await browser.GetPageAsync("applications");
        Assert.Contains("Applications", applications);
        Assert.Contains("Grace Operator", applications);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_five_minutes()
    {
        var email = NewEmail();
        await server.CreateUserAsync(email, Password);
        using var browser = server.CreateBrowser();

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            using var failed = await browser.SignInAsync(email, "Wrong-password-1");
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
            Assert.Contains("do not match an account", await failed.Content.ReadAsStringAsync());
        }

        using var fifth = await browser.SignInAsync(email, "Wrong-password-1");
        Assert.Equal("/Account/Lockout", PathOf(fifth));

        // Locked out, even the right password is refused.
        using var right = await browser.SignInAsync(email, Password);
        Assert.Equal("/Account/Lockout", PathOf(right));
        Assert.False(browser.HasAuthCookie);

        var user = await server.FindUserAsync(email);
        Assert.NotNull(user?.LockoutEnd);
        var remaining = user.LockoutEnd.Value - DateTimeOffset.UtcNow;
        Assert.InRange(remaining, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task An_email_without_an_account_locks_as_an_account_does_so_the_lockout_tells_nothing()
    {
        var known = NewEmail();
        await server.CreateUserAsync(known, Password);
        var unknown = NewEmail();
        using var browser = server.CreateBrowser();

        foreach (var email in new[] { known, unknown })
        {
            for (var attempt = 1; attempt <= 4; attempt++)
            {
                using var failed = await browser.SignInAsync(email, "Wrong-password-1");
                Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
                Assert.Contains("do not match an account", await failed.Content.ReadAsStringAsync());
            }
        }
        using var knownFifth = await browser.SignInAsync(known, "Wrong-password-1");
        using var unknownFifth = await browser.SignInAsync(unknown, "Wrong-password-1");
        using var unknownAgain = await browser.SignInAsync(unknown, Password);

        foreach (var locked in new[] { knownFifth, unknownFifth, unknownAgain })
        {
            Assert.Equal("/Account/Lockout", PathOf(locked));
            var until = long.Parse(System.Web.HttpUtility.ParseQueryString(locked.Headers.Location!.Query)["until"]!);
            Assert.InRange(DateTimeOffset.FromUnixTimeSeconds(until) - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        }
        Assert.Null(await server.FindUserAsync(unknown));
    }

    [Fact]
    public async Task A_wrong_password_shows_the_form_again_without_a_cookie()
    {
        var email = NewEmail();
        await server.CreateUserAsync(email, Password);
        using var browser = server.CreateBrowser();

        using var response = await browser.SignInAsync(email, "Wrong-password-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(browser.HasAuthCookie);
        Assert.Equal(1, (await server.FindUserAsync(email))!.AccessFailedCount);
    }

    [Fact]
    public async Task Signing_out_removes_the_auth_cookie()
    {
        var email = NewEmail();
        await server.CreateUserAsync(email, Password);
        using var browser = server.CreateBrowser();
        using var signIn = await browser.SignInAsync(email, Password);
        Assert.True(browser.HasAuthCookie);

        using var signOut = await browser.SubmitFormAsync("applications", "", new Dictionary<string, string> { ["ReturnUrl"] = "" }, postPath: "Account/Logout");

        Assert.Equal("/", PathOf(signOut));
        Assert.False(browser.HasAuthCookie);
        using var applications = await browser.GetAsync("applications");
        Assert.Equal("/Account/Login", PathOf(applications));
    }

    [Fact]
    public async Task A_signed_in_person_changes_their_password_and_signs_in_with_the_new_one()
    {
        var email = NewEmail();
        await server.CreateUserAsync(email, Password);
        using var browser = server.CreateBrowser();
        using var signIn = await browser.SignInAsync(email, Password);

        using var change = await browser.SubmitFormAsync("Account/Manage/ChangePassword", "change-password", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = Password,
            ["Input.NewPassword"] = "Changed-password-2",
            ["Input.ConfirmPassword"] = "Changed-password-2",
        });

        Assert.Equal("/Account/Manage/ChangePassword", PathOf(change));
        Assert.Contains("Your password has been changed.", await browser.GetPageAsync("Account/Manage/ChangePassword"));
        using var fresh = server.CreateBrowser();
        using var withNew = await fresh.SignInAsync(email, "Changed-password-2");
        Assert.True(fresh.HasAuthCookie);
    }

    [Theory]
    [InlineData("")]
    [InlineData("applications")]
    [InlineData("Account/Manage/ChangePassword")]
    public async Task An_anonymous_visitor_is_sent_to_sign_in(string path)
    {
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync(path);

        Assert.Equal("/Account/Login", PathOf(response));
    }

    [Theory]
    [InlineData("Account/Register")]
    [InlineData("Account/RegisterConfirmation")]
    [InlineData("Account/ForgotPassword")]
    [InlineData("Account/ResetPassword")]
    [InlineData("Account/ConfirmEmail")]
    [InlineData("Account/ExternalLogin")]
    [InlineData("Account/LoginWith2fa")]
    [InlineData("Account/Manage/Passkeys")]
    [InlineData("Account/Manage/TwoFactorAuthentication")]
    [InlineData("Account/Manage/PersonalData")]
    public async Task There_is_no_self_service_account_page(string path)
    {
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Not found", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_sign_in_page_offers_no_registration()
    {
        using var browser = server.CreateBrowser();

        var page = await browser.GetPageAsync("Account/Login");

        Assert.Contains("Sign in", page);
        Assert.DoesNotContain("Register", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("bootstrap", page, StringComparison.OrdinalIgnoreCase);
    }
}
