// The shape of a text and what the type checker reads from it.
//
// Written by hand rather than with Paraglide JS (`@inlang/paraglide-js`): its compiler
// loads the message-format plugin from a CDN address named in the project settings, so
// offline it "compiles" an empty set of messages without failing, and it adds a build
// step, generated files and 36 packages. Two language files and these few types give
// the same guarantees: the keys, the placeholders and the plural forms are checked by
// `npm run check`.

/** The plural forms Dutch and English use (`Intl.PluralRules` answers `one` or `other`). */
export type Plural = { readonly one: string; readonly other: string };

/** A text: a string with `{name}` placeholders, or a plural chosen by the `count` parameter. */
export type Message = string | Plural;

/** The placeholder names in a template string, as a union (`never` when there are none). */
type PlaceholdersIn<Template extends string> =
  Template extends `${string}{${infer Name}}${infer Rest}` ? Name | PlaceholdersIn<Rest> : never;

/** The parameters a message takes: its placeholders, and `count` for a plural. */
export type Placeholders<M> = M extends string
  ? PlaceholdersIn<M>
  : M extends Plural
    ? PlaceholdersIn<M["one"] | M["other"]> | "count"
    : never;

/** A translation of `Source`: the same keys, each a string or a plural where `Source` has one. */
export type Translation<Source> = {
  readonly [Key in keyof Source]: Source[Key] extends string ? string : Plural;
};

type SameUnion<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** The keys whose placeholders differ between two dictionaries (`never` when none do). */
export type PlaceholderMismatch<Source, Target> = {
  [Key in keyof Source & keyof Target]: SameUnion<
    Placeholders<Source[Key]>,
    Placeholders<Target[Key]>
  > extends true
    ? never
    : Key;
}[keyof Source & keyof Target];
