package io.embedrec.catalog;

import io.embedrec.common.ProblemException;

/** No item has this id (404). */
public class ItemNotFoundException extends ProblemException {

    public ItemNotFoundException(String id) {
        super("no item with id '" + id + "'");
    }

    @Override
    public int status() {
        return 404;
    }

    @Override
    public String slug() {
        return "item-not-found";
    }

    @Override
    public String title() {
        return "Item not found";
    }
}
