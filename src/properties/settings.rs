//! The effective settings: for each key, the entry that wins (the last one, as in Java) and the earlier ones.

use indexmap::IndexMap;

use super::reader::{Document, Entry};

/// Every key of a document with all the entries that set it, in file order.
#[derive(Debug)]
pub struct Settings<'d, 'a> {
    by_key: IndexMap<&'d str, Vec<&'d Entry<'a>>>,
}

impl<'d, 'a> Settings<'d, 'a> {
    /// Groups the document's entries by key; keys are ordered by their first appearance.
    pub fn new(doc: &'d Document<'a>) -> Self {
        Self::filtered(doc, |_| true)
    }

    /// As [`Settings::new`], keeping only the keys `keep` accepts (the linter's keys, in a file of thousands).
    pub fn filtered(doc: &'d Document<'a>, keep: impl Fn(&str) -> bool) -> Self {
        let mut by_key: IndexMap<&'d str, Vec<&'d Entry<'a>>> = IndexMap::new();
        for entry in doc.entries().filter(|e| keep(e.key())) {
            by_key.entry(entry.key().as_ref()).or_default().push(entry);
        }
        Settings { by_key }
    }

    /// The entry Java keeps for `key`: the last one in the file.
    pub fn get(&self, key: &str) -> Option<&'d Entry<'a>> {
        self.by_key.get(key).and_then(|all| all.last().copied())
    }

    /// Every entry that sets `key`, in file order (the last one wins).
    pub fn occurrences(&self, key: &str) -> &[&'d Entry<'a>] {
        self.by_key.get(key).map_or(&[], Vec::as_slice)
    }

    /// Each key with its winning entry, in order of first appearance.
    pub fn iter(&self) -> impl Iterator<Item = (&'d str, &'d Entry<'a>)> + '_ {
        self.by_key
            .iter()
            .filter_map(|(key, all)| all.last().map(|entry| (*key, *entry)))
    }

    /// Each key with all its entries, in order of first appearance.
    pub fn groups(&self) -> impl Iterator<Item = (&'d str, &[&'d Entry<'a>])> + '_ {
        self.by_key.iter().map(|(key, all)| (*key, all.as_slice()))
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_duplicate_wins_and_order_is_first_appearance() {
        let doc = Document::parse(b"b=1\na=2\nb=3\n");
        let settings = Settings::new(&doc);
        assert_eq!(settings.get("b").map(|e| e.value()), Some("3"));
        assert_eq!(settings.occurrences("b").len(), 2);
        let keys: Vec<_> = settings.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["b", "a"]);
        assert!(settings.get("c").is_none());
    }
}
