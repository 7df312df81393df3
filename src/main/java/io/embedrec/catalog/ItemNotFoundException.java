package io.embedrec.catalog;

import io.embedrec.common.NotFoundProblem;

/** No item has this id (404). */
public class ItemNotFoundException extends NotFoundProblem {

    public ItemNotFoundException(String id) {
        super("item", "no item with id '" + id + "'");
    }
}
