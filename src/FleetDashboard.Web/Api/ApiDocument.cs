using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Hosting;
using Microsoft.OpenApi;
using NetEscapades.AspNetCore.SecurityHeaders;
using Scalar.AspNetCore;

namespace FleetDashboard.Web.Api;

/// <summary>The API's OpenAPI document at /openapi/v1.json, and Scalar's reference over it at /scalar.</summary>
internal static class ApiDocument
{
    private const string BearerScheme = "Bearer";
    private const string ScalarHeaders = "scalar";

    public static WebApplicationBuilder AddFleetApiDocument(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            // The API only: the pages, the devices' door and the CSV exports are not for scripts.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "FleetDashboard API";
                document.Info.Description = "Automation for the fleet: with a personal access token (your account page), as you, with your roles.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "A personal access token: fleet_pat_…",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
                return Task.CompletedTask;
            });
            // A version travels as its text (FleetVersionJsonConverter); the generator would describe the struct's fields.
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type == typeof(FleetVersion))
                {
                    schema.Type = JsonSchemaType.String;
                    schema.Properties?.Clear();
                    schema.Required?.Clear();
                }
                return Task.CompletedTask;
            });
        });
        // Scalar's page starts itself with one inline module script: it carries this response's nonce, which only
        // /scalar's policy allows. Everything else it loads is the dashboard's own (its bundle is served from /scalar/),
        // and no eval: the bundle's zod probes for it once and, refused, validates without it.
        builder.Services.AddSecurityHeaderPolicies(policies => policies.AddPolicy(ScalarHeaders,
            FleetSecurityHeaders.Policies(script => script.WithNonce())));
        return builder;
    }

    public static WebApplication MapFleetApiDocument(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference((options, context) => options
                .WithTitle("FleetDashboard API")
                .DisableDefaultFonts()
                .AddPreferredSecuritySchemes([BearerScheme])
                .WithNonce(context.GetNonce()))
            .AllowAnonymous()
            .WithSecurityHeadersPolicy(ScalarHeaders);
        return app;
    }
}
