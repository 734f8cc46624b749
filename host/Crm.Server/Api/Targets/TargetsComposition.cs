namespace Crm.Server.Api.Targets;

/// <summary>Targets and the reports over the rep metrics (docs/reports.md).</summary>
public static class TargetsComposition
{
    public static WebApplicationBuilder AddCrmTargets(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReportScopes>();
        builder.Services.AddSingleton<MetricTotals>();
        builder.Services.AddSingleton<TargetStore>();
        return builder;
    }
}
