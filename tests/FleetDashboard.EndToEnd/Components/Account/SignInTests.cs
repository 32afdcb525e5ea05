using System.Globalization;
using FleetDashboard.EndToEnd.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FleetDashboard.EndToEnd.Components.Account;

[Collection(BrowserCollection.Name)]
public sealed class SignInTests(BrowserFixture browser, DemoServer server)
    : BrowserTest(browser, server), IClassFixture<DemoServer>
{
    private const string IdentityCookie = ".AspNetCore.Identity.Application";
    private const string NoMatch = "that email and password do not match an account";

    private readonly BrowserFixture _browser = browser;

    [Fact]
    public async Task A_wrong_password_shows_an_error_and_opens_no_session()
    {
        var page = await OpenPageAsync();
        await page.GotoAsync("Account/Login");
        await Screenshots.TakeBothAsync(page, "sign-in", "form");

        await page.SubmitSignInAsync(DemoUsers.Email("observer"), "not-the-password");

        await Expect(page.Locator(".account-alert.error[role=alert]")).ToContainTextAsync(NoMatch);
        await Expect(page).ToHaveURLAsync(DemoUsers.LoginUrl());
        Assert.DoesNotContain(await page.Context.CookiesAsync(), cookie => cookie.Name == IdentityCookie);
        await Screenshots.TakeAsync(page, "sign-in", "wrong-password");

        await page.GotoAsync("applications");
        await Expect(page).ToHaveURLAsync(DemoUsers.LoginUrl());
        await Expect(page.Locator("#signed-in-user")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        // A person in India: the lockout page gives the time the lock ends in their own zone and clock.
        var context = await _browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(), ViewportSize = Screenshots.Laptop, TimezoneId = "Asia/Kolkata", Locale = "en-GB",
        });
        await using var closing = new ClosingContext(context);
        var page = await context.NewPageAsync();
        var email = DemoUsers.Email("developer");
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await page.SubmitSignInAsync(email, $"wrong-{attempt}");
            await Expect(page.Locator(".account-alert.error[role=alert]")).ToContainTextAsync(NoMatch);
        }

        await page.SubmitSignInAsync(email, "wrong-5");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/Account/Lockout\?until=\d+$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Account locked");
        var lockEnd = await Server.QueryAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.LockoutEnd).SingleAsync());
        Assert.NotNull(lockEnd);
        // The minute the lock ends (rounded up), in the person's time zone, and how long that is from now.
        var after = lockEnd.Value.UtcDateTime.AddTicks(TimeSpan.TicksPerMinute - 1);
        after = after.AddTicks(-(after.Ticks % TimeSpan.TicksPerMinute));
        var inKolkata = TimeZoneInfo.ConvertTimeFromUtc(after, TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata"));
        var at = page.Locator("#lockout-ends time");
        await Expect(at).ToHaveAttributeAsync("datetime", after.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        await Expect(at).ToHaveTextAsync(inKolkata.ToString("HH:mm", CultureInfo.InvariantCulture));
        await Expect(page.Locator("#lockout-ends")).ToContainTextAsync("in 5 minutes.");
        // It names no account: it tells nothing the lock itself does not.
        Assert.DoesNotContain(email, await page.ContentAsync());
        await Screenshots.TakeAsync(page, "sign-in", "locked-out");

        // An end the sign-in page could not have sent is not believed: the lockout's length alone.
        await page.GotoAsync("Account/Lockout?until=99999999999");
        await Expect(page.Locator("#lockout-ends")).ToContainTextAsync("Wait 5 minutes, then try again.");

        await page.GotoAsync("Account/Login");
        await page.SubmitSignInAsync(email, DemoServer.DemoPassword);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/Account/Lockout\?until=\d+$"));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), cookie => cookie.Name == IdentityCookie);
    }

    [Fact]
    public async Task Signing_out_returns_to_sign_in_and_closes_the_applications_page()
    {
        var page = await OpenPageAsync();
        await page.SignInAsync("admin");
        Assert.Contains(await page.Context.CookiesAsync(), cookie => cookie.Name == IdentityCookie);

        await page.Locator("#sign-out").ClickAsync();

        await Expect(page).ToHaveURLAsync(DemoUsers.LoginUrl());
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), cookie => cookie.Name == IdentityCookie);
        await Screenshots.TakeAsync(page, "sign-out", "signed-out");

        await page.GotoAsync("applications");
        await Expect(page).ToHaveURLAsync(DemoUsers.LoginUrl());
        await Expect(page.Locator("[id='Input.Email']")).ToBeVisibleAsync();
    }

    /// <summary>Closes a context the test made itself (BrowserTest closes only those it opened).</summary>
    private sealed class ClosingContext(IBrowserContext context) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => new(context.CloseAsync());
    }
}
