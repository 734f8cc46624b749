using Crm.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Crm.Tests.WebApp;

/// <summary>
/// The real server and Debian's Chromium (scripts/chromium.sh installs it; <c>CRM_TEST_CHROMIUM</c> overrides the path),
/// driven by Playwright for .NET. Playwright's node driver ships inside its NuGet package; its own browser download is
/// never used. Each test opens its own browser contexts (separate storage: separate users), phone-sized.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly TempDirectory _data = new("crm-webapp");
    private IPlaywright? _playwright;

    public ServerProcess Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("CRM_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is missing at {ChromiumPath}: run 'bash scripts/chromium.sh' (as root) first.");
        }

        var server = ServerProcess.StartAsync(_data.Path);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        Server = await server;
    }

    /// <summary>A fresh context (its own storage, so its own signed-in user) on a phone-sized screen.</summary>
    public async Task<IPage> NewPhoneAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            HasTouch = true,
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(10_000);
        return await context.NewPageAsync();
    }

    /// <summary>Opens /app and signs in through the login form.</summary>
    public async Task<IPage> SignedInAsync(string userName, string password = WebWorld.Password)
    {
        var page = await NewPhoneAsync();
        await page.GotoAsync("/app/");
        await page.FillAsync("#login input[name=userName]", userName);
        await page.FillAsync("#login input[name=password]", password);
        await page.ClickAsync("#login button[type=submit]");
        await page.WaitForSelectorAsync("#bar nav");
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        _data.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "web app (Chromium)";
}
