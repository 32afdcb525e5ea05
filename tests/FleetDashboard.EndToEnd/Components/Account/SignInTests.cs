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
        var page = await OpenPageAsync();
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
        // The time the lock ends (rounded up to the minute) and how long that is from now.
        var after = lockEnd.Value.UtcDateTime.AddTicks(TimeSpan.TicksPerMinute - 1);
        await Expect(page.Locator("#lockout-ends")).ToContainTextAsync($"Try again after {after.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)} UTC, in 5 minutes.");
        await Screenshots.TakeAsync(page, "sign-in", "locked-out");

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
}
