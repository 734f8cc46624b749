using System.Text.Json;

namespace Crm.Client;

/// <summary>
/// A custom field of customer or deal cards. <see cref="Type"/>: text, number, date, choice, multi-choice;
/// <see cref="Options"/> for the choice types; <see cref="RequiredAtStages"/>: the stages a card may only move into once
/// the field is filled (customer stages, or a deal pipeline's stage keys and <c>won</c>).
/// </summary>
public sealed record CustomFieldDto(string Entity, string Key, LocalizedName Label, string Type, bool Required,
    IReadOnlyList<string> Options, IReadOnlyList<string> RequiredAtStages, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A new field (POST, all of it) or a changed one (PUT /{entity}/{key}: entity, key and type stay as they are).</summary>
public sealed record CustomFieldRequest(string? Entity, string? Key, LocalizedName? Label, string? Type, bool? Required = false,
    IReadOnlyList<string>? Options = null, IReadOnlyList<string>? RequiredAtStages = null);

/// <summary>Values to set on a card (a JSON null clears one): a string, a number, a date (yyyy-MM-dd), or a list of choices.</summary>
public sealed record CustomFieldValuesRequest(IReadOnlyDictionary<string, JsonElement>? CustomFields);
