using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FleetDashboard.EndToEnd.Infrastructure;

/// <summary>Signing in as the demo's people through the real sign-in form, and waiting for the live circuit.</summary>
public static partial class DemoUsers
{
    public static string Email(string person) => $"{person}@acme.test";

    /// <summary>Fills and submits the sign-in form at /Account/Login; does not wait for what follows.</summary>
    public static async Task SubmitSignInAsync(this IPage page, string email, string password)
    {
        if (!page.Url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase))
            await page.GotoAsync("Account/Login");
        await page.Locator("[id='Input.Email']").FillAsync(email);
        await page.Locator("[id='Input.Password']").FillAsync(password);
        await page.Locator("form button[type=submit]").ClickAsync();
    }

    /// <summary>Signs in as a demo person and waits until their applications page is live (interactive).</summary>
    public static async Task SignInAsync(this IPage page, string person)
    {
        await page.GotoAsync("Account/Login");
        await page.SubmitSignInAsync(Email(person), DemoServer.DemoPassword);
        await Expect(page).ToHaveURLAsync(ApplicationsUrl());
        await page.WaitForCircuitAsync();
    }

    /// <summary>
    /// Prerendered pages can be clicked before the circuit is live and such clicks are lost: the layout renders
    /// #interactive-ready once interactive. A minute, not the default 15 s: on a machine busy with builds beside the
    /// tests (load 20 seen) a circuit over a 10,000-device wall took longer than 15 s to start.
    /// </summary>
    public static Task WaitForCircuitAsync(this IPage page) =>
        Expect(page.Locator("#interactive-ready")).ToBeAttachedAsync(new() { Timeout = 60_000 });

    [GeneratedRegex(@"/applications$")]
    public static partial Regex ApplicationsUrl();

    [GeneratedRegex(@"/Account/Login(\?|$)", RegexOptions.IgnoreCase)]
    public static partial Regex LoginUrl();
}
