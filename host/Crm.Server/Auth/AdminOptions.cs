namespace Crm.Server.Auth;

/// <summary><c>Crm:Admin</c>: the first admin's password (environment <c>Crm__Admin__Password</c>).</summary>
public sealed class AdminOptions
{
    public const string Section = "Crm:Admin";

    public string? Password { get; set; }
}
