using System.Text.Json.Serialization;
using FleetDashboard.Web.Api.AccessTokens;
using Microsoft.AspNetCore.Authentication;

namespace FleetDashboard.Web.Api;

public static class ApiExtensions
{
    public const string Policy = "FleetApi";

    /// <summary>
    /// The HTTP API for automation: personal access tokens and their bearer scheme, the policy every endpoint
    /// requires (that scheme only: no cookies), JSON with enums and versions as text, RFC 9457 problem details,
    /// and the OpenAPI document.
    /// </summary>
    public static WebApplicationBuilder AddFleetApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<AccessTokens.AccessTokens>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AccessTokenAuthentication>(AccessTokenAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(AccessTokenAuthentication.SchemeName).RequireAuthenticatedUser());
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json =>
        {
            // A null or missing field the API's types do not allow is a 400 saying which, not a null deeper in.
            json.SerializerOptions.RespectNullableAnnotations = true;
            json.SerializerOptions.RespectRequiredConstructorParameters = true;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.SerializerOptions.Converters.Add(new FleetVersionJsonConverter());
        });
        builder.AddFleetApiDocument();
        return builder;
    }

    /// <summary>Every endpoint under /api/v1, and the document that describes them.</summary>
    public static WebApplication MapFleetApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization(Policy).AddEndpointFilter<ApiCallLog>();
        // Tags are the reference's sections.
        api.MapGroup("").WithTags("Applications and devices").MapApplicationEndpoints();
        api.MapGroup("").WithTags("Actions").MapActionEndpoints();
        api.MapGroup("").WithTags("Runs").MapRunEndpoints();
        api.MapGroup("").WithTags("Releases").MapReleaseEndpoints();
        api.MapGroup("").WithTags("Provisioning keys").MapProvisioningKeyEndpoints();
        app.MapFleetApiDocument();
        return app;
    }
}
