namespace Crm.Server.Composition;

public static class OptionsComposition
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/>, validated at start: a bad setting stops the server with a message that names it.</summary>
    public static WebApplicationBuilder AddCrmOptions<T>(this WebApplicationBuilder builder, string section) where T : class
    {
        builder.Services.AddOptions<T>().Bind(builder.Configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }
}
