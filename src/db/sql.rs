//! SQL written as text and values in the order they appear, so that a value always sits where
//! its placeholder is: `$1…$n` are numbered when the statement is run, never by hand. The same
//! statement renders with its values written in, for the benchmark's pgbench and for EXPLAIN.

use diesel::pg::Pg;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{Array, BigInt, Double, Integer, Text};

/// A value bound to a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    Int(i64),
    Float(f64),
    Text(String),
    Ints(Vec<i64>),
    Int4s(Vec<i32>),
}

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Value(Bind),
}

/// An SQL statement or a fragment of one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sql(Vec<Piece>);

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql(vec![Piece::Text(text.to_owned())])
    }

    /// Appends SQL text.
    pub fn push(mut self, text: &str) -> Sql {
        self.0.push(Piece::Text(text.to_owned()));
        self
    }

    /// Appends a placeholder holding `value`.
    pub fn bind(mut self, value: Bind) -> Sql {
        self.0.push(Piece::Value(value));
        self
    }

    /// Appends another fragment, its values included.
    pub fn append(mut self, other: &Sql) -> Sql {
        self.0.extend(other.0.iter().cloned());
        self
    }

    /// Fragments joined by `separator`.
    pub fn join(parts: &[Sql], separator: &str) -> Sql {
        parts
            .iter()
            .enumerate()
            .fold(Sql::default(), |sql, (i, part)| {
                let sql = if i == 0 { sql } else { sql.push(separator) };
                sql.append(part)
            })
    }

    /// The statement for diesel, with `$1…$n` in the order of the values.
    pub fn query(&self) -> BoxedSqlQuery<'static, Pg, SqlQuery> {
        let mut text = String::new();
        let mut values = vec![];
        for piece in &self.0 {
            match piece {
                Piece::Text(t) => text.push_str(t),
                Piece::Value(v) => {
                    values.push(v.clone());
                    text.push_str(&format!("${}", values.len()));
                }
            }
        }
        values.into_iter().fold(
            diesel::sql_query(text).into_boxed(),
            |query, value| match value {
                Bind::Int(v) => query.bind::<BigInt, _>(v),
                Bind::Float(v) => query.bind::<Double, _>(v),
                Bind::Text(v) => query.bind::<Text, _>(v),
                Bind::Ints(v) => query.bind::<Array<BigInt>, _>(v),
                Bind::Int4s(v) => query.bind::<Array<Integer>, _>(v),
            },
        )
    }

    /// The statement with its values written in as SQL literals.
    pub fn render_literal(&self) -> String {
        self.0
            .iter()
            .map(|piece| match piece {
                Piece::Text(t) => t.clone(),
                Piece::Value(v) => literal(v),
            })
            .collect()
    }
}

fn literal(value: &Bind) -> String {
    let list = |items: Vec<String>, ty: &str| format!("'{{{}}}'::{ty}[]", items.join(","));
    match value {
        Bind::Int(v) => v.to_string(),
        Bind::Float(v) => format!("{v:?}"),
        Bind::Text(v) => format!("'{}'", v.replace('\'', "''")),
        Bind::Ints(v) => list(v.iter().map(i64::to_string).collect(), "bigint"),
        Bind::Int4s(v) => list(v.iter().map(i32::to_string).collect(), "int"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_numbered_and_rendered_where_they_stand() {
        let filter = Sql::new("o.title = ").bind(Bind::Text("l'eau".into()));
        let sql = Sql::new("SELECT 1 WHERE o.id = ")
            .bind(Bind::Int(3))
            .push(" AND ")
            .append(&filter)
            .push(" AND o.sector_id = ANY(")
            .bind(Bind::Ints(vec![3, 4]))
            .push(")");
        assert_eq!(
            sql.render_literal(),
            "SELECT 1 WHERE o.id = 3 AND o.title = 'l''eau' AND o.sector_id = ANY('{3,4}'::bigint[])"
        );
        let debug = diesel::debug_query::<Pg, _>(&sql.query()).to_string();
        assert!(
            debug
                .starts_with("SELECT 1 WHERE o.id = $1 AND o.title = $2 AND o.sector_id = ANY($3)"),
            "{debug}"
        );
    }
}
