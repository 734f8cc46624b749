namespace Crm.Tests.Infrastructure;

/// <summary>Where the built server lives, found from the test binaries (same configuration: Debug or Release).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0

    public static string ServerDirectory => Path.Combine(Root, "host", "Crm.Server", "bin", Configuration, "net10.0");

    public static string ServerDll => Path.Combine(ServerDirectory, "Crm.Server.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Crm.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Crm.sln not found above " + AppContext.BaseDirectory);
    }
}
