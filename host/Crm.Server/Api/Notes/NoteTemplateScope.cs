using Crm.Client;
using Crm.Grains.Common;
using Crm.Server.Org;

namespace Crm.Server.Api.Notes;

/// <summary>
/// Who sees and who writes which templates. A template belongs to an org unit or to the whole company (no unit).
/// Everyone sees company-wide templates and those of their unit and the units above it (a region's template serves
/// its teams); managers also see and write those of the units below them; admins see and write all.
/// </summary>
public sealed class NoteTemplateScope(OrgUnitDirectory units)
{
    /// <summary>The path of the caller's unit ("/root/…/unit/"), null for a user without a unit.</summary>
    public async Task<string?> PathOfAsync(Actor actor) =>
        actor.OrgUnitId is { } id ? (await units.GetAsync(id))?.Path : null;

    /// <summary>The unit a request is about: the one it names, else the caller's own (none for an admin: company-wide).</summary>
    public static string? UnitFor(Actor actor, string? requested) =>
        requested ?? (actor.Role == UserRole.Admin ? null : actor.OrgUnitId);

    public async Task<bool> CanSeeAsync(Actor actor, NoteTemplateDto template) =>
        await CanSeeAsync(actor, template.OrgUnitId, await PathOfAsync(actor));

    public async Task<bool> CanSeeAsync(Actor actor, string? templateUnit, string? callerPath)
    {
        if (actor.Role == UserRole.Admin || templateUnit is null)
        {
            return true;
        }

        if (callerPath is null)
        {
            return false;
        }

        if (callerPath.Contains($"/{templateUnit}/", StringComparison.Ordinal))
        {
            return true; // the caller's unit or one above it
        }

        return actor.Role == UserRole.Manager && await IsWithinAsync(templateUnit, callerPath);
    }

    /// <summary>Whether the caller may write templates for <paramref name="unit"/> (null: company-wide).</summary>
    public async Task<bool> CanWriteAsync(Actor actor, string? unit)
    {
        if (actor.Role == UserRole.Admin)
        {
            return true;
        }

        return actor.Role == UserRole.Manager && unit is not null && await PathOfAsync(actor) is { } path && await IsWithinAsync(unit, path);
    }

    /// <summary>Whether the caller may read statistics of <paramref name="unit"/> and the units below it.</summary>
    public async Task<bool> CanReportOnAsync(Actor actor, string unit) =>
        actor.Role == UserRole.Admin || actor.Role == UserRole.Manager && await PathOfAsync(actor) is { } path && await IsWithinAsync(unit, path);

    public Task<IReadOnlyList<string>> SubtreeAsync(string unit) => units.SubtreeAsync(unit);

    public async Task<bool> ExistsAsync(string unit) => await units.GetAsync(unit) is not null;

    private async Task<bool> IsWithinAsync(string unit, string ancestorPath) =>
        await units.GetAsync(unit) is { } row && row.Path.StartsWith(ancestorPath, StringComparison.Ordinal);
}
