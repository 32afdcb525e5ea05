namespace FleetDashboard.Web.People;

public static class PeopleExtensions
{
    /// <summary>Invitations: their links, their mail (<c>Fleet:Smtp</c>), and the page that opens them.</summary>
    public static WebApplicationBuilder AddFleetPeople(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<InvitationMail>();
        builder.Services.AddSingleton<InvitationService>();
        return builder;
    }
}
