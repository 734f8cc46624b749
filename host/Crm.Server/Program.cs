using Crm.Server.Composition;
using Crm.Server.Plugins;

var builder = WebApplication.CreateBuilder(args);
builder.AddCrmLogging();
var database = builder.AddCrmStorage();
builder.Services.AddCrmPlugins(builder.Configuration);
builder.AddCrmServices();
builder.AddCrmAuth(database);
builder.AddCrmApi();

var app = builder.Build();
app.Services.LoadCrmPlugins();
await app.EnsureCrmAdminAsync();
app.UseCrmApi();
app.MapCrmApi();

app.Run();

/// <summary>The server's entry point; public so that tests can host it.</summary>
public partial class Program;
