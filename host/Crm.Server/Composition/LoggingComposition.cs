namespace Crm.Server.Composition;

public static class LoggingComposition
{
    /// <summary>One line per entry, with the time of day in milliseconds.</summary>
    public static WebApplicationBuilder AddCrmLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        return builder;
    }
}
