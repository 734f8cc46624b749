using Crm.Server.Composition;

namespace Crm.Server.Api.FieldWork;

/// <summary>Field work's settings, services and routes, for Program's composition.</summary>
public static class FieldWorkComposition
{
    public static WebApplicationBuilder AddCrmFieldWork(this WebApplicationBuilder builder)
    {
        builder.AddCrmOptions<FieldWorkOptions>(FieldWorkOptions.Section);
        builder.Services.AddSingleton<FieldWorkQueries>();
        builder.Services.AddSingleton<FieldWorkSettings>();
        builder.Services.AddSingleton<FileStore>();
        builder.Services.AddSingleton<AddressGeocoding>();
        return builder;
    }

    /// <summary>Field work's routes; those about one customer go on the shared <c>/api/customers</c> group.</summary>
    public static IEndpointRouteBuilder MapFieldWorkApi(this IEndpointRouteBuilder app, RouteGroupBuilder customers)
    {
        customers.MapLocationApi();
        return app.MapVisitsApi(customers).MapFilesApi().MapFieldWorkSettingsApi().MapRouteApi();
    }
}
