using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Crm.Server.Auth;

/// <summary>
/// The keys tokens are checked with, and the one new tokens are signed with. Every token names its key (<c>kid</c>),
/// so a rotation keeps the tokens of the previous key valid until they expire; tokens from before key ids (no
/// <c>kid</c>) are tried against every key.
/// </summary>
public sealed class SigningKeyRing
{
    public SigningKeyRing(string currentId, IReadOnlyDictionary<string, string> secrets)
    {
        if (!secrets.ContainsKey(currentId))
        {
            throw new InvalidOperationException($"The signing key ring has no key '{currentId}'.");
        }

        All = secrets.Select(s => KeyFrom(s.Key, s.Value)).ToList();
        Current = All.Single(k => k.KeyId == currentId);
    }

    public SymmetricSecurityKey Current { get; }

    public IReadOnlyList<SymmetricSecurityKey> All { get; }

    public static SymmetricSecurityKey KeyFrom(string id, string secret) => new(Encoding.UTF8.GetBytes(secret)) { KeyId = id };
}
