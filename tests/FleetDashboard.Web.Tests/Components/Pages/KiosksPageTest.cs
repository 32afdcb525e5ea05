using System.Linq.Expressions;
using System.Security.Claims;
using Bunit;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Tests.Infrastructure;
using FleetDashboard.Web.Tests.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace FleetDashboard.Web.Tests.Components.Pages;

/// <summary>
/// A page of Acme's kiosks (an application page taking <c>Id</c>) over the real services, for a Developer and an
/// Operator of it: releases and provisioning keys are the developer's, and the operator is the one turned away.
/// </summary>
public abstract class KiosksPageTest<TPage> : ComponentTest where TPage : IComponent
{
    protected FleetStore Store { get; } = new();
    protected Application Kiosks { get; private set; } = null!;
    protected ClaimsPrincipal Developer { get; private set; } = null!;
    protected ClaimsPrincipal Operator { get; private set; } = null!;

    protected override async Task ArrangeAsync()
    {
        await Store.InitializeAsync();
        var developer = await Store.UserAsync("developer");
        var @operator = await Store.UserAsync("operator");
        var acme = await Store.OrganizationAsync("Acme", members: [(developer, OrganizationRole.Member), (@operator, OrganizationRole.Member)]);
        Kiosks = await Store.ApplicationAsync(acme, "kiosks", members: [(developer, ApplicationRole.Developer), (@operator, ApplicationRole.Operator)]);
        (Developer, Operator) = (FleetStore.SignedIn(developer), FleetStore.SignedIn(@operator));

        Services.AddSingleton(Store.Queries);
        Services.AddSingleton(Store.Actions);
        Services.AddSingleton(new DeviceFeed(TimeProvider.System));
        Services.AddSingleton<TimeProvider>(Store.Clock);
        ArrangeMore();
    }

    /// <summary>Services one page needs beyond the store's.</summary>
    protected virtual void ArrangeMore()
    {
    }

    protected override Task DisposeMoreAsync() => Store.DisposeAsync();

    /// <summary>The page's application id parameter.</summary>
    protected abstract Expression<Func<TPage, int>> ApplicationId { get; }

    protected IRenderedComponent<TPage> RenderPage(ClaimsPrincipal user)
    {
        Render<MudPopoverProvider>();
        return Render<TPage>(ps => ps.Add(ApplicationId, Kiosks.Id).AddCascadingValue(Task.FromResult(new AuthenticationState(user))));
    }
}
