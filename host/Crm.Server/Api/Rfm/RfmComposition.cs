namespace Crm.Server.Api.Rfm;

/// <summary>RFM segments, their moves and repurchase lists, and the calibrated forecast (docs/reports.md).</summary>
public static class RfmComposition
{
    public static WebApplicationBuilder AddCrmRfm(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RfmSettingsStore>();
        builder.Services.AddSingleton<RfmReports>();
        builder.Services.AddSingleton<Forecast.ForecastQueries>();
        return builder;
    }
}
