namespace Crm.Server.Auth;

/// <summary>
/// <c>{data dir}/admin-password.txt</c>: the generated first password of <c>admin</c>, readable by the server's
/// user only (0600), deleted when admin chooses its own password (which it must before it gets a token).
/// </summary>
public sealed class AdminPasswordFile(string dataDirectory, ILogger<AdminPasswordFile> logger)
{
    public const string AdminUserName = "admin";

    public string Path { get; } = System.IO.Path.Combine(dataDirectory, "admin-password.txt");

    public async Task WriteAsync(string password)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        File.Delete(Path); // the mode below applies to a new file only
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var file = new FileStream(Path, options);
        await using var writer = new StreamWriter(file);
        await writer.WriteLineAsync(password);
    }

    /// <summary>A file left by an older version may be world-readable: narrow it to the owner.</summary>
    public void Protect()
    {
        if (File.Exists(Path) && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public void DeleteFor(string userName)
    {
        if (string.Equals(userName, AdminUserName, StringComparison.OrdinalIgnoreCase) && File.Exists(Path))
        {
            File.Delete(Path);
            logger.LogInformation("admin chose its own password; deleted {File}", Path);
        }
    }
}
